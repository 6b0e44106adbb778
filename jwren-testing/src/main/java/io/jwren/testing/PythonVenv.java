package io.jwren.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A Python virtual environment in the {@link TestCache}, holding exactly the pinned packages of a
 * requirements file kept in this jar ({@code io/jwren/testing/python/<name>.txt}). Created once with the
 * {@code python3} on PATH (3.9 or newer) and pip from PyPI; the directory name carries a hash of the file,
 * so a changed pin makes a new venv beside the old one. This is how moto, Jupyter with the JJava kernel and
 * LocalStack reach the tests without anything installed by hand.
 */
public final class PythonVenv {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
    private final Path dir;

    private PythonVenv(Path dir) {
        this.dir = dir;
    }

    /** The venv for {@code io/jwren/testing/python/<name>.txt}, installing it first if needed. */
    public static PythonVenv of(String name) {
        String resource = "python/" + name + ".txt";
        String requirements;
        try (InputStream in = PythonVenv.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no requirements file io/jwren/testing/" + resource);
            requirements = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String dirName = "python-" + name + "-" + sha256(requirements).substring(0, 12);
        Path dir = TestCache.installOnce(dirName, d -> create(d, name, requirements));
        return new PythonVenv(dir);
    }

    /** The venv's directory. */
    public Path dir() {
        return dir;
    }

    /** A program the venv installed, such as {@code python}, {@code moto_server} or {@code jupyter}. */
    public Path bin(String program) {
        return dir.resolve("venv/bin").resolve(program);
    }

    /** The environment a process of this venv gets: its bin first on PATH, {@code VIRTUAL_ENV} set. */
    public Map<String, String> environment() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Map.of("VIRTUAL_ENV", dir.resolve("venv").toString(), "PATH", dir.resolve("venv/bin") + java.io.File.pathSeparator + path,
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    private static void create(Path dir, String name, String requirements) throws IOException, InterruptedException {
        Path file = dir.resolve("requirements.txt");
        Files.writeString(file, requirements);
        Path log = dir.resolve("install.log");
        System.err.println("[jwren-test] creating the Python venv '" + name + "' with pip from PyPI in " + dir + " (once)");
        long start = System.nanoTime();
        String python = System.getenv().getOrDefault("JWREN_TEST_PYTHON", "python3");
        try {
            ServerProcesses.run(List.of(python, "-c", "import sys; assert sys.version_info >= (3, 9), sys.version"), dir, log,
                    Duration.ofSeconds(30), null);
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("the '" + name + "' test tools need Python 3.9+ as python3 on PATH (or "
                    + "JWREN_TEST_PYTHON): " + e.getMessage(), e);
        }
        ServerProcesses.run(List.of(python, "-m", "venv", dir.resolve("venv").toString()), dir, log, Duration.ofMinutes(2), null);
        Path pip = dir.resolve("venv/bin/pip");
        ServerProcesses.run(List.of(pip.toString(), "install", "--disable-pip-version-check", "--no-input", "-r", file.toString()),
                dir, log, INSTALL_TIMEOUT, null);
        System.err.printf("[jwren-test] venv '%s' ready in %.0f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.jwren.testing.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node.js and npm for serverless-offline: the ones on PATH when they are Node 18 or newer, otherwise a pinned
 * Node and npm fetched once from the npm registry (which carries Node's binaries as {@code node-<os>-<arch>}
 * packages) into the test cache, each tarball checked against the registry's sha512 integrity as npm itself
 * checks them. So {@code mvn verify} needs only a JDK and Maven. {@code JWREN_TEST_NODE=download} skips PATH.
 *
 * @param node       the node executable
 * @param npmCommand how to run npm: {@code npm}, or {@code node .../npm-cli.js}
 */
record NodeRuntime(String node, List<String> npmCommand) {
    static final String NODE_VERSION = "20.19.5";
    static final String NPM_VERSION = "10.8.2";
    private static final String REGISTRY = "https://registry.npmjs.org/";

    /** Call under the install lock: it may download into {@code cache}. */
    static NodeRuntime find(Path cache) throws IOException {
        String forced = System.getenv("JWREN_TEST_NODE");
        if (!"download".equals(forced)) {
            Integer major = nodeMajor("node");
            if (major != null && major >= 18 && runs(List.of("npm", "--version")))
                return new NodeRuntime("node", List.of("npm"));
        }
        return download(cache);
    }

    private static NodeRuntime download(Path cache) throws IOException {
        String platform = platform();
        Path dir = cache.resolve("node-" + NODE_VERSION + "-" + platform);
        Path node = dir.resolve("node/package/bin/node");
        Path npmCli = dir.resolve("npm/package/bin/npm-cli.js");
        if (!Files.exists(dir.resolve(".complete"))) {
            System.err.println("[jwren-test] Node.js 18+ and npm are not on PATH: fetching node-" + platform + "@" + NODE_VERSION
                    + " and npm@" + NPM_VERSION + " from " + REGISTRY + " into " + dir + " (once)");
            EmulatorFiles.deleteTree(dir);
            Files.createDirectories(dir);
            unpack(fetch("node-" + platform, NODE_VERSION, dir), dir.resolve("node"));
            unpack(fetch("npm", NPM_VERSION, dir), dir.resolve("npm"));
            if (!node.toFile().setExecutable(true) || !Files.isRegularFile(npmCli))
                throw new IllegalStateException("the fetched Node.js in " + dir + " is incomplete");
            Files.writeString(dir.resolve(".complete"), "node " + NODE_VERSION + ", npm " + NPM_VERSION + "\n");
        }
        return new NodeRuntime(node.toString(), List.of(node.toString(), npmCli.toString()));
    }

    /** {@code linux-x64}, {@code linux-arm64}, {@code darwin-x64}, {@code darwin-arm64}: the registry's names. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : null;
        if (o == null || a == null)
            throw new IllegalStateException("no Node.js on PATH, and none to fetch for " + os + "/" + arch + ": install Node.js 18+ and npm");
        return o + "-" + a;
    }

    /** Downloads {@code name@version}'s tarball, checked against the integrity the registry states for it. */
    private static Path fetch(String name, String version, Path dir) throws IOException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
        String metadata = get(http, REGISTRY + name + "/" + version, HttpResponse.BodyHandlers.ofString());
        String tarball = field(metadata, "tarball");
        String integrity = field(metadata, "integrity");
        if (!integrity.startsWith("sha512-")) throw new IllegalStateException(name + "@" + version + ": unexpected integrity " + integrity);
        Path file = dir.resolve(name + "-" + version + ".tgz");
        get(http, tarball, HttpResponse.BodyHandlers.ofFile(file));
        String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512(file));
        if (!actual.equals(integrity))
            throw new IllegalStateException(tarball + " does not match its registry integrity " + integrity + " (got " + actual + ")");
        return file;
    }

    private static <T> T get(HttpClient http, String url, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            HttpResponse<T> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(), handler);
            if (r.statusCode() != 200) throw new IOException("GET " + url + " answered " + r.statusCode());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in the registry's answer");
        return m.group(1);
    }

    private static byte[] sha512(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks with the system's {@code tar}, which keeps the executable bit (Linux and macOS have one). */
    private static void unpack(Path tgz, Path into) throws IOException {
        Files.createDirectories(into);
        List<String> command = List.of("tar", "-xzf", tgz.toString(), "-C", into.toString());
        if (!runs(command)) throw new IOException("`" + String.join(" ", command) + "` failed");
        Files.delete(tgz);
    }

    private static Integer nodeMajor(String node) {
        String version = output(List.of(node, "--version"));
        if (version == null) return null;
        Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    private static boolean runs(List<String> command) {
        return output(command) != null;
    }

    /** What {@code command} printed if it exited 0 within two minutes, else null. */
    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}

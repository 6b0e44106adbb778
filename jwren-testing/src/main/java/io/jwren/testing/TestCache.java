package io.jwren.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory kept between test runs for the tools the harnesses install (npm packages, Python venvs, a
 * Kubernetes control plane built with Go): {@code -Djwren.test.emulator-cache}, else {@code JWREN_TEST_CACHE},
 * else {@code ~/.cache/jwren-test}. Each tool lives in a directory named after its pinned versions and is
 * installed once, under a file lock, so test JVMs running side by side install it once between them.
 */
public final class TestCache {
    private TestCache() {}

    /** Installs into a directory handed to it; a failure leaves nothing marked complete. */
    @FunctionalInterface
    public interface Installer {
        void install(Path dir) throws IOException, InterruptedException;
    }

    public static Path root() {
        String property = System.getProperty("jwren.test.emulator-cache");
        if (property == null || property.isBlank()) property = System.getenv("JWREN_TEST_CACHE");
        Path root = property != null && !property.isBlank() ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".cache", "jwren-test");
        return root.toAbsolutePath().normalize();
    }

    /**
     * Returns {@code root()/name}, installing it first unless an earlier install completed. The name should
     * carry every pinned version, so that changing a pin installs afresh beside the old directory.
     */
    public static Path installOnce(String name, Installer installer) {
        Path root = root();
        Path dir = root.resolve(name);
        Path complete = dir.resolve(".complete");
        synchronized (TestCache.class) {
            try {
                Files.createDirectories(root);
                try (FileChannel ch = FileChannel.open(root.resolve(name + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                    if (!Files.exists(complete)) {
                        deleteTree(dir);
                        Files.createDirectories(dir);
                        installer.install(dir);
                        Files.writeString(complete, name + "\n");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not install " + name + " into " + dir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while installing " + name + " into " + dir, e);
            }
        }
        return dir;
    }

    /** Deletes a directory tree; a leftover file is no failure. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is no failure
        }
    }
}

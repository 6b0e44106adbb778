package io.jwren.testing.lambda;

import io.jwren.testing.ServerProcesses;
import io.jwren.testing.TestCache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the Lambda emulator tests find their files, and the process chores they share.
 *
 * <ul>
 *   <li>{@code jwren.test.worker-jar}: the shaded worker jar, built by worker-runtime at {@code package}.</li>
 *   <li>{@code jwren.test.lambda-emulators}: the jars the {@code lambda-emulators} module copies at
 *       {@code package} ({@code groovy/}, {@code ric/}, {@code event-server/}); by default
 *       {@code lambda-emulators/target/emulators} beside the worker jar's module.</li>
 *   <li>{@code jwren.test.emulator-cache} (or {@code JWREN_TEST_CACHE}): where npm packages are installed once
 *       and kept between runs; by default {@code ~/.cache/jwren-test}.</li>
 * </ul>
 */
public final class EmulatorFiles {
    private EmulatorFiles() {}

    /** The shaded worker jar; fails with what to run when it has not been built. */
    public static Path workerJar() {
        String property = System.getProperty("jwren.test.worker-jar");
        if (property == null || !Files.isRegularFile(Path.of(property)))
            throw new IllegalStateException("the worker jar " + (property == null ? "(jwren.test.worker-jar not set)" : property)
                    + " is missing: run `mvn verify`, which packages worker-runtime before these tests run");
        return Path.of(property).toAbsolutePath().normalize();
    }

    /** The directory of emulator jars the lambda-emulators module copies at {@code package}. */
    public static Path emulatorsDir() {
        String property = System.getProperty("jwren.test.lambda-emulators");
        Path dir = property != null ? Path.of(property)
                : workerJar().getParent().getParent().getParent().resolve("lambda-emulators/target/emulators");
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("ric")) || !Files.isDirectory(dir.resolve("groovy")))
            throw new IllegalStateException("the emulator jars are missing from " + dir + ": run `mvn verify` (the "
                    + "lambda-emulators module copies them at package), or set -Djwren.test.lambda-emulators");
        return dir;
    }

    /** The jars in one subdirectory of {@link #emulatorsDir()}, sorted by name. */
    public static List<Path> jars(String subdirectory) {
        Path dir = emulatorsDir().resolve(subdirectory);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) throw new IllegalStateException("no jars in " + dir);
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory kept between runs for installed tools. */
    public static Path cacheRoot() {
        return TestCache.root();
    }

    /** The {@code java} launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int[] freePorts(int count) {
        return ServerProcesses.freePorts(count);
    }

    static void destroyTree(Process process, Duration grace) {
        ServerProcesses.destroyTree(process, grace);
    }

    static String tail(Path log, int max) {
        return ServerProcesses.tail(log, max);
    }

    static void deleteTree(Path dir) {
        TestCache.deleteTree(dir);
    }

    /** A YAML double-quoted scalar (JSON string syntax, which YAML reads the same). */
    static String yamlString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}

package io.jwren.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Finds the shaded worker jar when the user names none: beside the running program's jars (the CLI ships
 * {@code jwren-worker.jar} next to {@code jwren.jar}), then in the local Maven repository as the artifact
 * {@code io.jwren:worker-runtime:<this version>:jar:worker}, then in a checkout of jwren.
 */
final class WorkerJarLocator {
    static final String FILE_NAME = "jwren-worker.jar";

    private WorkerJarLocator() {}

    /** Where the jar was looked for, in order; the first that exists is the one. */
    static List<Path> candidates(String javaClassPath, Path mavenRepository, String version) {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String entry : javaClassPath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty() || !entry.endsWith(".jar")) continue;
            Path dir = Path.of(entry).toAbsolutePath().normalize().getParent();
            if (dir == null) continue;
            candidates.add(dir.resolve(FILE_NAME));
            if (dir.getFileName() != null && dir.getFileName().toString().equals("lib") && dir.getParent() != null) {
                candidates.add(dir.getParent().resolve(FILE_NAME)); // libraries under lib/, the program beside it
            }
        }
        if (version != null) {
            candidates.add(mavenRepository.resolve(Path.of("io", "jwren", "worker-runtime", version,
                    "worker-runtime-" + version + "-worker.jar")));
        }
        candidates.add(Path.of("worker-runtime", "target", FILE_NAME).toAbsolutePath());
        return new ArrayList<>(candidates);
    }

    /** The worker jar for this program, or an error that says where it looked and how to get one. */
    static Path locate() {
        String version = version();
        List<Path> candidates = candidates(System.getProperty("java.class.path", ""), mavenRepository(), version);
        for (Path p : candidates) if (Files.isRegularFile(p)) return p;
        StringBuilder msg = new StringBuilder("no worker jar found; looked for:");
        for (Path p : candidates) msg.append("\n  ").append(p);
        msg.append("\npass --jar PATH (or set jwren.lambda.jar), or fetch it: mvn dependency:copy -Dartifact=io.jwren:worker-runtime:")
                .append(version == null ? "<version>" : version).append(":jar:worker -DoutputDirectory=.");
        throw new IllegalArgumentException(msg.toString());
    }

    private static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** This module's version, from the pom.properties Maven put in its jar (absent when run from classes). */
    private static String version() {
        try (InputStream in = WorkerJarLocator.class.getResourceAsStream("/META-INF/maven/io.jwren/backend-lambda/pom.properties")) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

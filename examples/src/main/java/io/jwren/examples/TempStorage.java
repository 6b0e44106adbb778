package io.jwren.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A local-directory storage for one run, removed afterwards so benches leave no job files behind. */
final class TempStorage implements AutoCloseable {
    private final Path dir;

    TempStorage(String prefix) throws IOException {
        this.dir = Files.createTempDirectory(prefix);
    }

    Path path() {
        return dir;
    }

    String uri() {
        return dir.toUri().toString();
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove bench storage " + dir, e);
        }
    }
}

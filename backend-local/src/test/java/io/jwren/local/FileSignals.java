package io.jwren.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signals between a test and calls running in worker JVMs, through files in a shared directory. Calls
 * run inside workers, so these methods must only use what ships: plain static code.
 */
final class FileSignals {
    private FileSignals() {}

    /** Inside a call: announce that call {@code index} runs in this JVM. */
    static void announce(String dir, int index) {
        try {
            Files.writeString(Path.of(dir, "started-" + index), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inside a call: wait until the test creates {@code name} (a sleep inside a user function is fine). */
    static void waitFor(String dir, String name) {
        Path p = Path.of(dir, name);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(p)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no " + p + " after 2 minutes");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** In the test: block until a file matching {@code prefix} appears in {@code dir}, watching the directory. */
    static Path awaitFile(Path dir, String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                Optional<Path> found = find(dir, prefix);
                if (found.isPresent() && Files.size(found.get()) > 0) return found.get();
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no file " + prefix + "* appeared in " + dir + " within " + timeout);
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static Optional<Path> find(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst();
        }
    }

    static void create(Path dir, String name) throws IOException {
        Files.writeString(dir.resolve(name), "go");
    }
}

package io.jwren.testing;

import io.jwren.SerializableFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A straggler for tests whose workers are other JVMs on this machine: they share the file system, not memory. */
public final class HangOnce {
    private HangOnce() {}

    /**
     * {@code x -> x + 100}, except that the first run of call {@code hangingCall} anywhere marks a file in
     * {@code markDir} and sleeps five minutes (until interrupted); every later run sees the mark and returns.
     */
    public static SerializableFunction<Integer, Integer> plus100(String markDir, int hangingCall) {
        return x -> {
            if (x == hangingCall) {
                try {
                    Files.createFile(Path.of(markDir, "first-run-of-" + hangingCall));
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                } catch (FileAlreadyExistsException e) {
                    // the first run is elsewhere: this is a later one
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return x + 100;
        };
    }
}

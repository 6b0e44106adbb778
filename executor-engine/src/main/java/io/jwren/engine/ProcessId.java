package io.jwren.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * This JVM's process id, cheaply. {@code ProcessHandle.current()} first starts the JDK's process reaper (a thread
 * pool, and with it the method-handle runtime): about 10 ms of a worker's cold start, for a number the kernel
 * gives in a file read. Internal.
 */
public final class ProcessId {
    private static final long PID = find();
    /** The pid, then a draw per JVM for JVMs of other hosts; not SecureRandom, whose setup costs ~15 ms and which a name does not need. */
    private static final String UNIQUE = PID + "-" + Long.toHexString(new Random().nextLong() >>> 1);

    private ProcessId() {}

    /** {@return this JVM's process id} */
    public static long get() {
        return PID;
    }

    /**
     * {@return a name for this JVM unique among the JVMs sharing a directory, even over a network file system}: for
     * temporary files, which then need no random draw each, nor {@code Files.createTempFile}'s SecureRandom
     */
    public static String uniqueName() {
        return UNIQUE;
    }

    private static long find() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString()); // Linux
        } catch (IOException | UnsupportedOperationException | NumberFormatException | SecurityException e) {
            return ProcessHandle.current().pid();
        }
    }
}

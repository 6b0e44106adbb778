package io.jwren.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The process chores the server harnesses share: free ports, waiting for a server, stopping a process tree. */
public final class ServerProcesses {
    private ServerProcesses() {}

    /** Distinct ports that were free a moment ago (bound together, then released). */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** Whether something accepts connections on {@code 127.0.0.1:port}. */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Polls {@code ready} until it holds, failing with the log's tail when the process exits first or the
     * deadline passes. The poll interval is short; the deadline is generous, since CI machines are slow.
     */
    public static void awaitReady(String what, Process process, Path log, Duration deadline, BooleanSupplier ready) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!ready.getAsBoolean()) {
            if (process != null && !process.isAlive())
                throw new IllegalStateException(what + " exited with status " + process.exitValue() + " before it was ready; "
                        + "its output (" + log + "):\n" + tail(log, 4000));
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + " was not ready within " + deadline.toSeconds() + " s; its output ("
                        + log + "):\n" + tail(log, 4000));
            }
            try {
                Thread.sleep(100); // a poll, not a timing assumption: the deadline above bounds it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Ends a process and everything it started: politely, then by force after {@code grace}. */
    public static void destroyTree(Process process, Duration grace) {
        if (process == null) return;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) h.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception ignored) {
                // forced below
            }
            if (h.isAlive()) h.destroyForcibly();
        }
    }

    /** The last {@code max} characters of a log file, for failure messages. */
    public static String tail(Path log, int max) {
        try {
            if (!Files.exists(log)) return "(no output at " + log + ")";
            String s = Files.readString(log);
            return s.length() <= max ? s : "..." + s.substring(s.length() - max);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Runs a command to its end, output into {@code log}; fails with the log's tail on a non-zero status. */
    public static void run(List<String> command, Path directory, Path log, Duration timeout, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (directory != null) pb.directory(directory.toFile());
        if (env != null) pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            destroyTree(p, Duration.ofSeconds(5));
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout.toSeconds()
                    + " s; its output (" + log + "):\n" + tail(log, 4000));
        }
        if (p.exitValue() != 0)
            throw new IllegalStateException(String.join(" ", command) + " failed with status " + p.exitValue()
                    + "; its output (" + log + "):\n" + tail(log, 4000));
    }
}

package io.jwren.local;

import io.jwren.spi.Invocation;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One worker JVM running {@code WorkerMain --serve}: we write "RUN" lines to its stdin and read its
 * protocol lines from its stdout; its stderr (user output) goes to a log file.
 */
final class WorkerProcess {
    interface Events {
        void started(WorkerProcess w, Invocation inv);

        void done(WorkerProcess w, Invocation inv);

        void failed(WorkerProcess w, Invocation inv, String reason);

        /** The JVM exited; {@code running} is what it was running, or null. */
        void exited(WorkerProcess w, Invocation running, String reason, boolean everReady);
    }

    final int slot;
    final String id;
    final Path logFile;
    private final Process process;
    private final BufferedWriter stdin;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private volatile Invocation running;
    private volatile boolean killed;

    /** @param signingKey the executor's key (base64), written to the worker's stdin before anything else; null for none */
    WorkerProcess(int slot, String id, List<String> command, String signingKey, Path logFile, Events events) throws IOException {
        this.slot = slot;
        this.id = id;
        this.logFile = logFile;
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command);
        forwardAwsCredentials(pb.environment());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        this.process = pb.start();
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        // The key goes through the pipe only this JVM holds: not the command line or environment, which ps shows.
        if (signingKey != null) {
            stdin.write("KEY " + signingKey);
            stdin.newLine();
            stdin.flush();
        }
        Thread reader = new Thread(() -> read(events), "jwren-worker-" + id + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Credentials set as system properties in this JVM reach workers through their environment, where
     * the AWS default provider chain finds them; never on the command line, which any local user can read.
     */
    private static void forwardAwsCredentials(java.util.Map<String, String> env) {
        String[][] names = {{"aws.accessKeyId", "AWS_ACCESS_KEY_ID"}, {"aws.secretAccessKey", "AWS_SECRET_ACCESS_KEY"},
                {"aws.sessionToken", "AWS_SESSION_TOKEN"}, {"aws.region", "AWS_REGION"}};
        for (String[] n : names) {
            String value = System.getProperty(n[0]);
            if (value != null && !value.isEmpty()) env.put(n[1], value);
        }
    }

    private void read(Events events) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("HELLO ")) {
                    String[] p = line.split(" ");
                    ready.complete(Integer.parseInt(p[2]));
                    continue;
                }
                String[] p = line.split(" ", 5);
                Invocation inv = running;
                if (p.length < 4 || inv == null || !p[1].equals(inv.jobId())
                        || !p[2].equals(Integer.toString(inv.number())) || !p[3].equals(Integer.toString(inv.attempt())))
                    continue; // a line about an invocation we no longer wait for
                switch (p[0]) {
                    case "STARTED" -> events.started(this, inv);
                    case "DONE" -> {
                        running = null;
                        events.done(this, inv);
                    }
                    case "FAILED" -> {
                        running = null;
                        events.failed(this, inv, p.length > 4 ? p[4] : "unknown failure");
                    }
                    default -> { }
                }
            }
        } catch (IOException ignored) {
            // the process is gone; handled below
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        ready.complete(-1);
        Invocation lost = running;
        running = null;
        events.exited(this, lost, describeExit(code), readyVersion() > 0);
    }

    private String describeExit(int code) {
        String how = code > 128 ? "was killed by signal " + (code - 128) : "exited with code " + code;
        return "worker JVM " + id + " (pid " + process.pid() + ") " + how + lastLogLines();
    }

    private String lastLogLines() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return "; log " + logFile;
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return "; log " + logFile + " ends with:\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "; log " + logFile;
        }
    }

    /** The worker's Java feature version once it said hello, -1 if it died first, 0 while starting. */
    int readyVersion() {
        return ready.getNow(0);
    }

    CompletableFuture<Integer> ready() {
        return ready;
    }

    Invocation running() {
        return running;
    }

    boolean killed() {
        return killed;
    }

    long pid() {
        return process.pid();
    }

    /** Sends an invocation; false if the JVM is gone. */
    synchronized boolean run(Invocation inv) {
        running = inv;
        try {
            stdin.write("RUN " + inv.toLine());
            stdin.newLine();
            stdin.flush();
            return true;
        } catch (IOException e) {
            running = null;
            return false;
        }
    }

    void kill() {
        killed = true;
        process.destroyForcibly();
    }

    /** Asks the worker to exit once idle (EOF on stdin), then makes sure. */
    void stop() {
        killed = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroyForcibly();
    }
}

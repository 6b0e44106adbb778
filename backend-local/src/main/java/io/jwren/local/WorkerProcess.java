package io.jwren.local;

import io.jwren.spi.Invocation;
import io.jwren.spi.JobSpec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One worker JVM running {@code WorkerMain --serve}: we write "RUN" lines to its stdin and read its
 * protocol lines from its stdout; its stderr (user output) goes to a log file. It runs the invocations it
 * was sent one after another, in order; more than one may be sent ahead, to wait in its stdin.
 */
final class WorkerProcess {
    interface Events {
        void started(WorkerProcess w, Invocation inv);

        /** @param resultObject the result object the worker stored, when it sent it along; else null */
        void done(WorkerProcess w, Invocation inv, byte[] resultObject);

        void failed(WorkerProcess w, Invocation inv, String reason);

        /**
         * The JVM exited; {@code running} is what it was running, or null; {@code unstarted} what it was sent
         * but never began, in the order sent.
         */
        void exited(WorkerProcess w, Invocation running, List<Invocation> unstarted, String reason, boolean everReady);
    }

    final int slot;
    final String id;
    final Path logFile;
    private final Process process;
    private final BufferedWriter stdin;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    /** Sent and not yet finished, in the order sent; the head is {@link #running} once the worker began it. Guarded by this. */
    private final Deque<Invocation> sent = new ArrayDeque<>();
    private volatile Invocation running;
    /** Set once writing to the worker failed: it is going, send it nothing more. */
    private volatile boolean unreachable;
    private volatile boolean killed;
    /** Jobs whose inline objects this worker holds; guarded by this. */
    private final Set<String> jobsHeld = new HashSet<>();

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
                if (p.length < 4) continue;
                Invocation inv;
                synchronized (this) {
                    inv = sent.peek(); // the worker answers in the order it was sent
                    if (inv == null || !p[1].equals(inv.jobId()) || !p[2].equals(Integer.toString(inv.number()))
                            || !p[3].equals(Integer.toString(inv.attempt())))
                        continue; // not a line of this protocol
                    if (p[0].equals("STARTED")) running = inv;
                    else if (p[0].equals("DONE") || p[0].equals("FAILED")) {
                        sent.poll();
                        running = null;
                    }
                }
                switch (p[0]) {
                    case "STARTED" -> events.started(this, inv);
                    case "DONE" -> events.done(this, inv, p.length > 4 ? Base64.getDecoder().decode(p[4]) : null);
                    case "FAILED" -> events.failed(this, inv, p.length > 4 ? p[4] : "unknown failure");
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
        Invocation lost;
        List<Invocation> unstarted;
        synchronized (this) {
            unreachable = true;
            lost = running;
            running = null;
            if (lost != null) sent.remove(lost);
            unstarted = List.copyOf(sent);
            sent.clear();
        }
        events.exited(this, lost, unstarted, describeExit(code), readyVersion() > 0);
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

    /** {@return the invocation the worker is running: it said it began it, and has not finished it} */
    Invocation running() {
        return running;
    }

    /** {@return how many invocations the worker was sent and has not finished, the running one included} */
    synchronized int queued() {
        return sent.size();
    }

    /** {@return the jobs of the invocations it was sent and has not finished} */
    synchronized Set<String> queuedJobs() {
        Set<String> jobs = new HashSet<>();
        for (Invocation inv : sent) jobs.add(inv.jobId());
        return jobs;
    }

    /** {@return whether the worker said hello and can still be written to} */
    boolean usable() {
        return readyVersion() > 0 && !unreachable;
    }

    boolean killed() {
        return killed;
    }

    long pid() {
        return process.pid();
    }

    /** Sends an invocation, preceded by its job's inline objects the first time; false if the JVM is gone. */
    synchronized boolean run(JobSpec job, Invocation inv) {
        if (unreachable) return false;
        sent.add(inv);
        try {
            byte[] inline = job.inlineJob();
            if (inline != null && jobsHeld.add(job.jobId())) {
                stdin.write("JOB " + job.jobId() + " ");
                stdin.write(Base64.getEncoder().encodeToString(inline));
                stdin.newLine();
            }
            stdin.write("RUN " + inv.toLine());
            stdin.newLine();
            stdin.flush();
            return true;
        } catch (IOException e) {
            sent.remove(inv);
            unreachable = true; // its exit is reported by the reader
            return false;
        }
    }

    /** {@return whether the worker was given the inline objects of the job} */
    synchronized boolean holds(String jobId) {
        return jobsHeld.contains(jobId);
    }

    /** Tells the worker to drop the inline objects of a job that ended, if it was given them. */
    synchronized void release(String jobId) {
        if (!jobsHeld.remove(jobId)) return;
        try {
            stdin.write("END " + jobId);
            stdin.newLine();
            stdin.flush();
        } catch (IOException e) {
            // gone: nothing held any more
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

package io.jwren.local;

import io.jwren.Config;
import io.jwren.JWrenException;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider.BackendContext;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import io.jwren.spi.Settings;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs invocations in a pool of worker JVMs on this machine. Each worker reads the job from storage and
 * writes its result there, exactly as a cloud worker does; only the command channel (stdin/stdout) is
 * local. A small job travels on that channel instead ({@link #inlineLimit()}), and small results come back
 * on it too, besides being stored. A worker that dies is replaced and its invocation reported lost, so the engine retries it.
 */
final class ProcessesBackend implements Backend, WorkerProcess.Events {
    /** A worker that dies before it is ready this many times in a row means the pool cannot start. */
    private static final int MAX_START_FAILURES = 3;
    /** Invocations a worker may be sent beyond the one it runs, while its job's invocations run short. */
    private static final int SENT_AHEAD = 2;
    /** Invocations shorter than this cost about as much as the round trip that starts the next one. */
    private static final long SHORT_INVOCATION_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BackendContext context;
    private final Config config;
    private final int size;
    private final long inlineLimit;
    private final String classpath;
    private final Path logDir;
    private final WorkerProcess[] workers;
    private final int[] startFailures;
    /** Whether each slot's current JVM was started with the class archive. */
    private final boolean[] startedWithArchive;
    /**
     * Per slot, how a JVM started with the class archive died before it was ready, while its replacement starts
     * without the archive: if that one gets ready, the archive was at fault and is refused.
     */
    private final String[] archiveSuspect;
    /** The workers' class archive (AppCDS), or null when {@code jwren.processes.class-archive} is off; set on start. */
    private WorkerClassArchive archive;
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** Sent to a worker and not yet reported on: what the backend still answers for. */
    private final Map<Invocation, Pending> runningJobs = new ConcurrentHashMap<>();
    /** How long the last invocation of each running job took on its worker, in nanoseconds. */
    private final Map<String, Long> lastRunNanos = new ConcurrentHashMap<>();
    private final Map<Invocation, Long> startedAt = new ConcurrentHashMap<>();
    private volatile String brokenReason;
    private volatile boolean closed;
    private String storageUri;

    private record Pending(JobSpec job, Invocation inv, InvocationListener listener) {}

    ProcessesBackend(BackendContext context, int size) {
        this.context = context;
        this.config = context.config();
        this.size = size;
        this.inlineLimit = inlineLimit(config);
        this.classpath = config.get("jwren.processes.classpath", WorkerClasspath.compute());
        this.logDir = Path.of(System.getProperty("java.io.tmpdir"), "jwren-workers", context.executorId());
        this.workers = new WorkerProcess[size];
        this.startFailures = new int[size];
        this.startedWithArchive = new boolean[size];
        this.archiveSuspect = new String[size];
    }

    /** {@code jwren.processes.inline-limit}: a count of bytes, 0 or more. */
    private static long inlineLimit(Config config) {
        String value = config.get("jwren.processes.inline-limit", Long.toString(ProcessesSettings.DEFAULT_INLINE_LIMIT)).trim();
        try {
            long limit = Long.parseLong(value);
            if (limit >= 0) return limit;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("jwren.processes.inline-limit must be a number of bytes, 0 or more (0 sends "
                + "every job through storage), was '" + value + "'");
    }

    private String javaExecutable() {
        String home = config.get("jwren.processes.java-home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java").toString();
    }

    private List<String> command(int slot) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        List<String> archived = archive == null || archiveSuspect[slot] != null ? List.of() : archive.options();
        startedWithArchive[slot] = !archived.isEmpty();
        cmd.addAll(archived);
        // a JVM's crash report beside the worker's log rather than in the client's working directory
        cmd.add("-XX:ErrorFile=" + logDir.resolve("hs_err_pid%p.log"));
        cmd.addAll(ProcessesSettings.workerJvmOptions(config));
        // what a worker needs wherever it runs (storage and how to reach it), never a secret
        for (Map.Entry<String, String> e : Settings.forWorkers(config).entrySet()) {
            if (!e.getKey().equals("jwren.storage")) cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        cmd.add("-Djwren.storage=" + storageUri);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("io.jwren.engine.worker.WorkerMain");
        cmd.add("--serve");
        cmd.add("--worker-id");
        cmd.add(context.executorId() + "-p" + slot);
        return cmd;
    }

    /** Starts the pool on first use; needs the storage URI, which the engine opens lazily. */
    private synchronized void ensureStarted() {
        if (storageUri != null || closed) return;
        Storage storage = context.storage();
        if (storage.uri().startsWith("mem:"))
            throw new IllegalArgumentException("the processes backend needs storage its worker JVMs can reach; "
                    + storage.uri() + " lives in this JVM only: use file:///dir or s3://bucket/prefix");
        storageUri = storage.uri();
        if (config.getBoolean("jwren.processes.class-archive", true)) {
            Path dir = Path.of(config.get("jwren.processes.class-archive-dir", WorkerClassArchive.defaultDirectory().toString()));
            archive = WorkerClassArchive.of(javaExecutable(), ProcessesSettings.workerJvmOptions(config), classpath, dir);
        }
        for (int i = 0; i < size; i++) startWorker(i);
    }

    private void startWorker(int slot) {
        try {
            WorkerProcess w = new WorkerProcess(slot, context.executorId() + "-p" + slot, command(slot),
                    context.signingKey(), logDir.resolve("worker-" + slot + ".log"), this);
            workers[slot] = w;
            w.ready().thenAccept(v -> {
                if (v > 0) workerReady(w);
            });
        } catch (IOException e) {
            broken("cannot start a worker JVM with " + javaExecutable() + ": " + e);
        }
    }

    /** Each worker JVM gets the executor's key as the first line on its stdin. */
    @Override
    public boolean handsSigningKey() {
        return context.signingKey() != null;
    }

    /**
     * Jobs up to this size go to the workers through their stdin, the channel that carried the key: a small job then
     * costs storage only its manifest and its result objects.
     */
    @Override
    public long inlineLimit() {
        return inlineLimit;
    }

    @Override
    public int maxClassFileMajor() {
        if (config.get("jwren.processes.java-home") == null) return Runtime.version().feature() + 44;
        // Another JDK runs the workers: ask them which Java they run.
        ensureStarted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (WorkerProcess w : workers.clone()) {
            if (w == null) continue;
            try {
                int v = w.ready().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (v > 0) return v + 44;
            } catch (ExecutionException | TimeoutException e) {
                // try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String reason = brokenReason;
        throw new JWrenException("no worker JVM of the processes backend started"
                + (reason == null ? " within 60 s; see the logs in " + logDir : ": " + reason));
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        ensureStarted();
        String broken = brokenReason;
        if (broken != null) {
            for (Invocation inv : invocations) listener.lost(inv, broken);
            return;
        }
        synchronized (this) {
            for (Invocation inv : invocations) pending.add(new Pending(job, inv, listener));
        }
        dispatch();
    }

    private void workerReady(WorkerProcess w) {
        synchronized (this) {
            if (closed || workers[w.slot] != w) return;
            startFailures[w.slot] = 0;
            if (archiveSuspect[w.slot] != null) {
                archive.refuse(archiveSuspect[w.slot]);
                archiveSuspect[w.slot] = null;
            }
        }
        dispatch();
    }

    /**
     * The worker for an invocation of {@code job}: the one with the fewest invocations sent and unfinished. A
     * worker busy with one invocation is sent more only while the invocations of its jobs and of this one run
     * short, so the next one waits in its stdin instead of a round trip away, and never behind a long call; and
     * never a job's inline objects, which go only to a worker that is reading, so a write never waits for a call.
     */
    private WorkerProcess pickWorker(JobSpec job) {
        boolean runsShort = runsShort(job.jobId());
        WorkerProcess best = null;
        int bestQueued = Integer.MAX_VALUE;
        for (WorkerProcess w : workers) {
            if (w == null || !w.usable()) continue;
            int queued = w.queued();
            int capacity = queued > 0 && runsShort && (job.inlineJob() == null || w.holds(job.jobId()))
                    && w.queuedJobs().stream().allMatch(this::runsShort) ? 1 + SENT_AHEAD : 1;
            if (queued < capacity && queued < bestQueued) {
                best = w;
                bestQueued = queued;
            }
        }
        return best;
    }

    private void dispatch() {
        List<Pending> undeliverable = new ArrayList<>();
        synchronized (this) {
            while (!pending.isEmpty() && !closed) {
                Pending p = pending.peek();
                WorkerProcess w = pickWorker(p.job());
                if (w == null) break;
                pending.poll();
                runningJobs.put(p.inv(), p);
                if (!w.run(p.job(), p.inv())) {
                    runningJobs.remove(p.inv());
                    pending.addFirst(p); // the worker is going; its exit handler replaces it
                }
            }
            if (brokenReason != null) {
                undeliverable.addAll(pending);
                pending.clear();
            }
        }
        for (Pending p : undeliverable) p.listener().lost(p.inv(), brokenReason);
    }

    @Override
    public void started(WorkerProcess w, Invocation inv) {
        Pending p = runningJobs.get(inv);
        if (p == null) return;
        startedAt.put(inv, System.nanoTime());
        p.listener().started(inv, w.id);
    }

    private boolean runsShort(String jobId) {
        Long last = lastRunNanos.get(jobId);
        return last != null && last < SHORT_INVOCATION_NANOS;
    }

    /** Remembers how long the invocation ran, which decides whether its job's next ones are sent ahead. */
    private void ran(Invocation inv) {
        Long start = startedAt.remove(inv);
        if (start != null && runningJobs.containsKey(inv)) lastRunNanos.put(inv.jobId(), System.nanoTime() - start);
    }

    @Override
    public void done(WorkerProcess w, Invocation inv, byte[] resultObject) {
        ran(inv);
        Pending p = runningJobs.remove(inv);
        dispatch();
        if (p != null) p.listener().completed(inv, resultObject);
    }

    @Override
    public void failed(WorkerProcess w, Invocation inv, String reason) {
        ran(inv);
        Pending p = runningJobs.remove(inv);
        dispatch();
        if (p != null) p.listener().lost(inv, "worker " + w.id + " could not finish it: " + reason);
    }

    @Override
    public void exited(WorkerProcess w, Invocation running, List<Invocation> unstarted, String reason, boolean everReady) {
        Pending p = running == null ? null : runningJobs.remove(running);
        if (running != null) startedAt.remove(running);
        synchronized (this) {
            // What it never began was no attempt: it goes back to the front of the queue, in order.
            for (int i = unstarted.size() - 1; i >= 0; i--) {
                Pending waiting = runningJobs.remove(unstarted.get(i));
                if (waiting != null) pending.addFirst(waiting);
            }
            if (!closed && workers[w.slot] == w && !everReady && startedWithArchive[w.slot] && !w.killed())
                archiveSuspect[w.slot] = reason; // its replacement starts without the archive
            if (!closed && workers[w.slot] == w) {
                if (everReady) {
                    startWorker(w.slot);
                } else if (++startFailures[w.slot] < MAX_START_FAILURES) {
                    startWorker(w.slot);
                } else {
                    broken("worker JVMs die before they are ready: " + reason);
                }
            }
        }
        // An invocation the engine aborted was already removed from runningJobs: nothing to report.
        if (p != null && !closed) p.listener().lost(running, reason);
        dispatch();
    }

    private void broken(String reason) {
        if (brokenReason == null) brokenReason = reason;
    }

    @Override
    public void abort(Invocation inv) {
        for (WorkerProcess w : workers) {
            if (w != null && inv.equals(w.running())) {
                runningJobs.remove(inv);
                w.kill();
            }
        }
        // sent ahead and not begun: its worker still runs it, but nothing more is reported for it
        runningJobs.remove(inv);
        synchronized (this) {
            pending.removeIf(p -> p.inv().equals(inv));
        }
    }

    @Override
    public void cancel(String jobId) {
        synchronized (this) {
            pending.removeIf(p -> p.inv().jobId().equals(jobId));
        }
        for (WorkerProcess w : workers) {
            Invocation inv = w == null ? null : w.running();
            if (inv != null && inv.jobId().equals(jobId)) abort(inv);
        }
        jobFinished(jobId);
    }

    /**
     * Forgets the job's invocations still queued or on a worker (a stale attempt the engine no longer waits
     * for): nothing more is reported for them, and a worker that finishes one goes back to the pool.
     */
    @Override
    public void jobFinished(String jobId) {
        synchronized (this) {
            pending.removeIf(p -> p.inv().jobId().equals(jobId));
        }
        runningJobs.keySet().removeIf(inv -> inv.jobId().equals(jobId));
        startedAt.keySet().removeIf(inv -> inv.jobId().equals(jobId));
        lastRunNanos.remove(jobId);
        for (WorkerProcess w : workers.clone()) if (w != null) w.release(jobId);
    }

    /** Invocations queued or on a worker that this backend still tracks; for tests. */
    synchronized int heldInvocations() {
        return pending.size() + runningJobs.size();
    }

    /** Pids of the live worker JVMs; for tools and tests. */
    synchronized List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerProcess w : workers) if (w != null) pids.add(w.pid());
        return pids;
    }

    @Override
    public void close() {
        List<WorkerProcess> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(Arrays.asList(workers));
            pending.clear();
        }
        for (WorkerProcess w : all) if (w != null) w.stop();
    }
}

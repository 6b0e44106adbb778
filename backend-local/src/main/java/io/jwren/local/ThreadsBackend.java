package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs invocations on a pool of threads in this JVM, with no storage round trip. The engine has already
 * serialized the closure and runs a deserialized copy, so a closure that could not be shipped fails here
 * too. A timed-out invocation's thread is interrupted; while it stays stuck, the pool grows by one so
 * the retry is not queued behind it.
 */
final class ThreadsBackend implements Backend {
    private final ThreadPoolExecutor pool;
    private final int workers;
    /** The invocations on a thread now, and those of them aborted; guarded by this. Empty when nothing runs. */
    private final Map<Invocation, Thread> running = new HashMap<>();
    private final Set<Invocation> aborted = new HashSet<>();

    ThreadsBackend(String executorId, int workers) {
        this.workers = workers;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jwren-" + executorId + "-t" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public int maxClassFileMajor() {
        return Runtime.version().feature() + 44;
    }

    @Override
    public Duration timeoutGrace() {
        return Duration.ofMillis(100);
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        for (Invocation inv : invocations) pool.execute(new Task(job, inv, listener));
    }

    private final class Task implements Runnable {
        final JobSpec job;
        final Invocation inv;
        final InvocationListener listener;

        Task(JobSpec job, Invocation inv, InvocationListener listener) {
            this.job = job;
            this.inv = inv;
            this.listener = listener;
        }

        @Override
        public void run() {
            Thread self = Thread.currentThread();
            String worker = self.getName();
            synchronized (ThreadsBackend.this) {
                running.put(inv, self);
            }
            try {
                listener.started(inv, worker);
                job.runInProcess(inv, worker);
                if (!isAborted(inv)) listener.completed(inv);
            } catch (InterruptedException e) {
                // aborted or cancelled: the engine already knows
            } catch (RuntimeException | Error e) {
                if (!isAborted(inv)) listener.lost(inv, "thread " + worker + " failed: " + e);
            } finally {
                synchronized (ThreadsBackend.this) {
                    running.remove(inv);
                    if (aborted.remove(inv)) shrink();
                }
                Thread.interrupted(); // never hand an interrupted thread back to the pool
            }
        }
    }

    private synchronized boolean isAborted(Invocation inv) {
        return aborted.contains(inv);
    }

    /**
     * Interrupts the invocation's thread if it is still on it. Under the lock its task's end takes, so the
     * interrupt cannot reach the thread's next task and the abort is never left behind by a task that ended.
     */
    @Override
    public synchronized void abort(Invocation inv) {
        Thread t = running.get(inv);
        if (t != null && aborted.add(inv)) {
            grow();
            t.interrupt();
        }
    }

    /** Runs queued for the job are dropped: the engine has what it needs from them. */
    @Override
    public void jobFinished(String jobId) {
        pool.getQueue().removeIf(r -> r instanceof Task t && t.inv.jobId().equals(jobId));
    }

    @Override
    public void cancel(String jobId) {
        jobFinished(jobId);
        synchronized (this) {
            for (Invocation inv : List.copyOf(running.keySet())) {
                if (inv.jobId().equals(jobId)) abort(inv);
            }
        }
    }

    /** Invocations this backend still holds anything for (running, or aborted and not yet ended); for tests. */
    synchronized int heldInvocations() {
        return running.size() + aborted.size();
    }

    private synchronized void grow() {
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
        pool.setCorePoolSize(pool.getCorePoolSize() + 1);
    }

    private synchronized void shrink() {
        int size = Math.max(workers, pool.getCorePoolSize() - 1);
        pool.setCorePoolSize(size);
        pool.setMaximumPoolSize(size);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

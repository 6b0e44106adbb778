package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<Invocation, Thread> running = new ConcurrentHashMap<>();
    private final Map<Invocation, Boolean> aborted = new ConcurrentHashMap<>();

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
            running.put(inv, self);
            try {
                listener.started(inv, worker);
                job.runInProcess(inv, worker);
                if (!aborted.containsKey(inv)) listener.completed(inv);
            } catch (InterruptedException e) {
                // aborted or cancelled: the engine already knows
            } catch (RuntimeException | Error e) {
                if (!aborted.containsKey(inv)) listener.lost(inv, "thread " + worker + " failed: " + e);
            } finally {
                running.remove(inv);
                if (aborted.remove(inv) != null) shrink();
                Thread.interrupted(); // never hand an interrupted thread back to the pool
            }
        }
    }

    @Override
    public void abort(Invocation inv) {
        Thread t = running.get(inv);
        if (t != null && aborted.putIfAbsent(inv, Boolean.TRUE) == null) {
            grow();
            t.interrupt();
        }
    }

    @Override
    public void cancel(String jobId) {
        pool.getQueue().removeIf(r -> r instanceof Task t && t.inv.jobId().equals(jobId));
        for (Invocation inv : List.copyOf(running.keySet())) {
            if (inv.jobId().equals(jobId)) abort(inv);
        }
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

package io.jwren.engine;

import io.jwren.CallFuture;
import io.jwren.JobStats;
import io.jwren.JobStatus;
import io.jwren.MapFuture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The futures of one map, over its {@link MapJob}. */
final class MapFutureImpl<R> implements MapFuture<R> {
    private final MapJob job;
    private final List<CallFuture<R>> calls;
    private final CallCountdown remaining;
    private final double pricePerGbS;
    private volatile boolean cancelled;

    MapFutureImpl(MapJob job, List<CallFutureImpl<R>> calls, double pricePerGbS) {
        this.job = job;
        this.pricePerGbS = pricePerGbS;
        this.calls = Collections.unmodifiableList(new ArrayList<>(calls));
        this.remaining = job.countdown();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }

    @Override
    public List<CallFuture<R>> calls() {
        return calls;
    }

    @Override
    public Iterable<CallFuture<R>> asCompleted() {
        LinkedBlockingQueue<CallFuture<R>> done = new LinkedBlockingQueue<>();
        for (CallFuture<R> c : calls) ((CallFutureImpl<R>) c).future().whenComplete((v, t) -> done.add(c));
        return () -> new Iterator<>() {
            private int yielded;

            @Override
            public boolean hasNext() {
                return yielded < calls.size();
            }

            @Override
            public CallFuture<R> next() {
                if (!hasNext()) throw new NoSuchElementException();
                try {
                    CallFuture<R> c = done.take();
                    yielded++;
                    return c;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for the next call of job " + jobId());
                }
            }
        };
    }

    @Override
    public JobStatus status() {
        return job.status();
    }

    @Override
    public JobStats stats() {
        return JobStatsCollector.collect(job, pricePerGbS);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) return false;
        cancelled = true;
        job.cancel();
        return true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isDone() {
        return remaining.isZero();
    }

    @Override
    public List<R> get() throws InterruptedException, ExecutionException {
        remaining.await();
        return collect();
    }

    @Override
    public List<R> get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!remaining.await(timeout, unit)) {
            JobStatus s = status();
            throw new TimeoutException("job " + jobId() + ": " + s.done() + " of " + s.calls() + " calls done after "
                    + unit.toMillis(timeout) + " ms");
        }
        return collect();
    }

    private List<R> collect() throws ExecutionException {
        if (cancelled) throw new CancellationException("job " + jobId() + " was cancelled");
        List<R> out = new ArrayList<>(calls.size());
        for (CallFuture<R> c : calls) {
            CallFutureImpl<R> impl = (CallFutureImpl<R>) c;
            CompletableFuture<R> f = impl.future();
            if (f.isCancelled()) throw new CancellationException("call " + c.index() + " of job " + jobId() + " was cancelled");
            ExecutionException failure = impl.failure();
            if (failure != null) throw failure;
            out.add(f.getNow(null));
        }
        return out;
    }

    @Override
    public String toString() {
        return "MapFuture[" + status() + "]";
    }
}

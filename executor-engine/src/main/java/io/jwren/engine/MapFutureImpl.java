package io.jwren.engine;

import io.jwren.CallFuture;
import io.jwren.JobStats;
import io.jwren.JobStatus;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.SerializableFunction;

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

/**
 * The futures of one map, over its {@link MapJob}. Everything but {@link #jobId()} and {@link #thenMap} looks at the
 * results, so it asks the job to read them ({@link MapJob#demand()}); until then a map read only by a chained map
 * costs the client no download.
 */
final class MapFutureImpl<R> implements MapFuture<R> {
    private final JWrenExecutor executor;
    private final MapJob job;
    private final List<CallFuture<R>> calls;
    private final CallCountdown remaining;
    private final double pricePerGbS;
    private volatile boolean cancelled;

    MapFutureImpl(JWrenExecutor executor, MapJob job, List<CallFutureImpl<R>> calls, double pricePerGbS) {
        this.executor = executor;
        this.job = job;
        this.pricePerGbS = pricePerGbS;
        this.calls = Collections.unmodifiableList(new ArrayList<>(calls));
        this.remaining = job.countdown();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }

    MapJob job() {
        return job;
    }

    @Override
    public <S> MapFuture<S> thenMap(SerializableFunction<? super R, ? extends S> fn, MapOptions options) {
        return executor.thenMap(job, fn, options);
    }

    @Override
    public List<CallFuture<R>> calls() {
        job.demand();
        return calls;
    }

    @Override
    public CompletableFuture<List<R>> toCompletableFuture() {
        job.demand();
        CompletableFuture<List<R>> all = new CompletableFuture<>();
        remaining.whenZero(() -> {
            try {
                all.complete(collect());
            } catch (ExecutionException e) {
                all.completeExceptionally(e.getCause());
            } catch (RuntimeException e) {
                all.completeExceptionally(e);
            }
        });
        return all;
    }

    @Override
    public Iterable<CallFuture<R>> asCompleted() {
        job.demand();
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
        job.demand();
        return job.status();
    }

    @Override
    public JobStats stats() {
        job.demand();
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
        job.demand();
        return remaining.isZero();
    }

    @Override
    public List<R> get() throws InterruptedException, ExecutionException {
        job.demand();
        remaining.await();
        return collect();
    }

    @Override
    public List<R> get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        job.demand();
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

package io.jwren;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The future results of one map. {@link #get()} waits for every call and returns the results in input
 * order; if any call failed it throws the {@link java.util.concurrent.ExecutionException} of the failed
 * call with the lowest index. {@link #cancel(boolean)} cancels every call not yet done and stops the
 * backend's work on the map; then {@code get} throws a {@link java.util.concurrent.CancellationException}.
 *
 * @param <R> the type of the calls' results
 */
public interface MapFuture<R> extends Future<List<R>> {
    /** {@return the map's job id: the executor's id and a counter} */
    String jobId();

    /** {@return one future per input, in input order, unmodifiable} */
    List<CallFuture<R>> calls();

    /**
     * Yields each call as it finishes (successfully, failed or cancelled), blocking while none is ready.
     * An interrupt while blocked ends the iteration with a {@link java.util.concurrent.CancellationException}
     * and leaves the thread interrupted.
     *
     * @return an iterable of every call, in the order they finish
     */
    Iterable<CallFuture<R>> asCompleted();

    /** {@return counts of this map's calls right now} */
    JobStatus status();

    /**
     * A summary of the calls done so far: counts, timings, workers, percentiles, and an estimated cost for
     * backends billed per GB-second. {@link JobStats#plotTimeline} draws it.
     *
     * @return the summary
     * @throws UnsupportedOperationException from an implementation that keeps no stats (jwren's own all do)
     */
    default JobStats stats() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no stats");
    }
    /**
     * A second map over this map's results, call {@code i} of it taking the result of call {@code i} here. Its workers
     * read those results straight from storage: the client downloads nothing in between (this map's results are
     * downloaded only if someone asks this future for them). Each of its invocations starts as soon as the
     * invocations here holding its inputs are done, not when this whole map is. A call that failed here fails the
     * call of the same index there with an {@link UpstreamFailureException}, whose cause is the first failure.
     *
     * @param fn  the function to apply to each result
     * @param <S> the type of the second map's results
     * @return the second map, whose job id {@code Executor.attach} accepts like any other
     * @throws UnsupportedOperationException from an implementation that cannot chain (jwren's own all can)
     */
    default <S> MapFuture<S> thenMap(SerializableFunction<? super R, ? extends S> fn) {
        return thenMap(fn, MapOptions.defaults());
    }

    /**
     * As {@link #thenMap(SerializableFunction)}, with options for the second map. Unless they fix a chunk size, its
     * invocations cover the same calls as this map's, so each one done here starts one there.
     *
     * @param fn      the function to apply to each result
     * @param options the second map's options
     * @param <S>     the type of the second map's results
     * @return the second map
     * @throws UnsupportedOperationException from an implementation that cannot chain (jwren's own all can)
     */
    default <S> MapFuture<S> thenMap(SerializableFunction<? super R, ? extends S> fn, MapOptions options) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot chain maps");
    }

    /**
     * A new {@link CompletableFuture} completed with every result in input order once all calls are done, or
     * exceptionally with the failure of the failed call with the lowest index; cancelling it leaves the map alone.
     *
     * @return a new future, one per call of this method
     */
    default CompletableFuture<List<R>> toCompletableFuture() {
        CompletableFuture<List<R>> all = new CompletableFuture<>();
        CompletableFuture.allOf(calls().stream().map(CallFuture::toCompletableFuture).toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> {
                    try {
                        all.complete(get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        all.completeExceptionally(e.getCause());
                    } catch (InterruptedException | RuntimeException e) {
                        all.completeExceptionally(e);
                    }
                });
        return all;
    }
}

package io.jwren;

import java.util.List;
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
}

package io.jwren;

import java.util.List;
import java.util.concurrent.Future;

/**
 * The future results of one map. {@link #get()} waits for every call and returns the results in input
 * order; if any call failed it throws the {@link java.util.concurrent.ExecutionException} of the failed
 * call with the lowest index. {@link #cancel(boolean)} cancels every call not yet done.
 */
public interface MapFuture<R> extends Future<List<R>> {
    String jobId();

    /** One future per input, in input order. */
    List<CallFuture<R>> calls();

    /** Yields each call as it finishes (successfully or not), blocking while none is ready. */
    Iterable<CallFuture<R>> asCompleted();

    /** Counts of this map's calls right now. */
    JobStatus status();

    /**
     * A summary of the calls done so far: counts, timings, workers, percentiles, and an estimated cost for
     * backends billed per GB-second. {@link JobStats#plotTimeline} draws it.
     */
    default JobStats stats() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no stats");
    }
}

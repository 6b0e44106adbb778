package io.jwren;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** The future result of one call. */
public interface CallFuture<R> extends Future<R> {
    /** Position of this call's input in its map (0 for {@code submit}). */
    int index();

    /** The id of the job this call belongs to. */
    String jobId();

    /**
     * A new {@link CompletableFuture} completed with this call's outcome, for composing with {@code thenApply} and
     * friends; cancelling it cancels the call, while completing it otherwise leaves the call alone.
     */
    CompletableFuture<R> toCompletableFuture();

    /** Timings and worker of the call once it is done, else null. */
    CallStats stats();
}

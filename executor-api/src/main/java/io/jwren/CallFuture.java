package io.jwren;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The future result of one call. When the call failed, {@link #get()} throws an
 * {@link java.util.concurrent.ExecutionException} whose message names the call and the job, and whose cause is
 * what the call threw or one of jwren's own: {@link CallTimeoutException}, {@link WorkerLostException},
 * {@link RemoteCallException}, {@link ProtocolException}.
 *
 * <p>{@link #cancel(boolean)} completes this future as cancelled and drops the call's result. It does not
 * stop the call's invocation, which other calls may share; {@link MapFuture#cancel(boolean)} stops a whole map.
 *
 * @param <R> the type of the call's result
 */
public interface CallFuture<R> extends Future<R> {
    /** {@return the position of this call's input in its map (0 for {@code submit})} */
    int index();

    /** {@return the id of the job this call belongs to} */
    String jobId();

    /**
     * A new {@link CompletableFuture} completed with this call's outcome, for composing with {@code thenApply} and
     * friends; cancelling it cancels the call, while completing it otherwise leaves the call alone.
     *
     * @return a new future, one per call of this method
     */
    CompletableFuture<R> toCompletableFuture();

    /** {@return where and when the call ran once it is done; null before, and for a cancelled call} */
    CallStats stats();
}

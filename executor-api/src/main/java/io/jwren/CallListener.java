package io.jwren;

/**
 * Hears about the calls of one map: set it with {@link MapOptions.Builder#listener(CallListener)}.
 * Every call ends in exactly one {@link #done} or {@link #failed}, possibly after {@link #retried} events
 * (one per call of an invocation that is run again) and {@link #reran} events (one per re-run of the call itself). Cancelled calls produce no event.
 *
 * <p>Methods run on jwren's threads (never the caller's, never while the engine holds a lock) and may be
 * called from several threads at once: keep them short and thread-safe. Done and failed events of a call
 * are delivered before {@link MapFuture#get()} can return. An exception thrown here is reported once on
 * stderr and otherwise ignored; it never affects the map.
 */
public interface CallListener {
    /**
     * The call returned a value.
     *
     * @param event the call, its worker and its timings
     */
    default void done(CallEvent event) {}

    /**
     * The call threw, timed out or lost its worker, and will not be run again.
     *
     * @param event the call, its worker, its timings and the error
     */
    default void failed(CallEvent event) {}

    /**
     * The call's invocation timed out or lost its worker and is being run again.
     *
     * @param event the call, the attempt that starts now and why the last one ended
     */
    default void retried(CallEvent event) {}

    /**
     * The call threw one of {@link MapOptions#retryOn()}'s types and its worker ran it again: one event per re-run,
     * with what that run threw, delivered before the call's {@link #done} or {@link #failed} (once its result reaches
     * the client, so after the fact for a worker in another JVM).
     *
     * @param event the call, its worker and the exception that made it run again
     */
    default void reran(CallEvent event) {}
}

package io.jwren.spi;

/** How a backend reports on the invocations it was given. Thread-safe; calls may come from any thread. */
public interface InvocationListener {
    /** A worker has begun the invocation. Optional: backends that cannot tell skip it. */
    void started(Invocation invocation, String workerId);

    /**
     * The invocation finished: for storage backends its result object has been written; for in-process
     * backends {@link JobSpec#runInProcess} has delivered its results.
     */
    void completed(Invocation invocation);

    /** The worker died, or the invocation otherwise ended without a result. The engine decides on retries. */
    void lost(Invocation invocation, String reason);
}

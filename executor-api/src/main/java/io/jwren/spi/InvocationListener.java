package io.jwren.spi;

/** How a backend reports on the invocations it was given. Thread-safe; calls may come from any thread. */
public interface InvocationListener {
    /**
     * A worker has begun the invocation. The engine starts the invocation's timeout, and its clock for
     * speculation, here: an invocation never reported started never times out.
     *
     * @param invocation the invocation and attempt, as submitted
     * @param workerId   names the worker, for stats and messages
     */
    void started(Invocation invocation, String workerId);

    /**
     * The invocation finished: for storage backends its result object has been written; for in-process
     * backends {@link JobSpec#runInProcess} has delivered its results.
     *
     * @param invocation the invocation and attempt, as submitted
     */
    void completed(Invocation invocation);

    /**
     * The invocation finished and the worker handed back the result object it stored, which the engine then
     * need not read from storage. The bytes must be those the worker stored under its result key.
     *
     * @param invocation   the invocation and attempt, as submitted
     * @param resultObject the bytes of its result object
     */
    default void completed(Invocation invocation, byte[] resultObject) {
        completed(invocation);
    }

    /**
     * The worker died, or the invocation otherwise ended without a result. The engine decides on retries.
     *
     * @param invocation the invocation and attempt, as submitted
     * @param reason     what happened, for the {@link io.jwren.WorkerLostException} the calls fail with if no retry is left
     */
    void lost(Invocation invocation, String reason);
}

package io.jwren.spi;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs invocations somewhere: threads, worker JVMs, a cloud service. Created by a {@link BackendProvider};
 * one per executor. The engine owns planning, retries, timeouts and results; a backend only starts,
 * watches and stops invocations.
 */
public interface Backend extends AutoCloseable {
    /** {@return true if invocations run through {@link JobSpec#runInProcess} with no storage round trip} */
    default boolean inProcess() {
        return false;
    }

    /**
     * {@return true if this backend hands the executor's {@linkplain BackendProvider.BackendContext#signingKey()
     * signing key} to every worker it starts} The engine then signs the jobs it stages for it, and refuses any
     * object read back (result, value) whose signature does not check; its workers refuse unsigned jobs.
     */
    default boolean handsSigningKey() {
        return false;
    }

    /**
     * {@return true if {@link InvocationListener#completed} is reported reliably; false if the engine must learn
     * completion by listing result objects in storage} Such a backend watches no results itself: it reports
     * {@link InvocationListener#lost} once an invocation's deadline passes, and the engine completes the
     * invocation instead if its result object is there.
     */
    default boolean reportsCompletion() {
        return true;
    }

    /**
     * {@return true if {@link InvocationListener#completed} or {@link InvocationListener#lost} comes for every
     * invocation of this job without the engine listing result objects} A backend whose {@link #reportsCompletion()}
     * is false may still hear the end of some jobs' invocations itself (Lambda's synchronous invokes): the engine
     * then lists nothing for them, but still looks for the result object of one reported lost.
     *
     * @param job the job, as it is started
     */
    default boolean reportsCompletion(JobSpec job) {
        return reportsCompletion();
    }

    /**
     * {@return the Java class-file major version the workers accept at most (61 = Java 17), or 0 when unknown}
     * Classes compiled for a newer Java are refused at submit.
     */
    default int maxClassFileMajor() {
        return 0;
    }

    /**
     * {@return extra time an invocation gets beyond {@code timeout × calls} before it counts as timed out}
     * It covers the backend's own start-up cost (a JVM, a cold start). {@code jwren.timeout-grace} overrides it.
     */
    default Duration timeoutGrace() {
        return Duration.ofSeconds(2);
    }

    /**
     * {@return the largest job, in bytes of function and inputs, whose objects this backend carries to its workers
     * in its own messages instead of their reading them from storage; 0 for none} A job within it is given to the
     * backend through {@link JobSpec#inlineJob()}, and its function and inputs are not written to storage at all:
     * a small job then costs no storage round trips but its result's.
     */
    default long inlineLimit() {
        return 0;
    }

    /**
     * {@return the {@link #inlineLimit()} for a job of this many invocations} A backend that carries the job in
     * every invocation's message may take only jobs of few invocations inline; never more than {@link #inlineLimit()}.
     *
     * @param invocations the job's invocation count
     */
    default long inlineLimit(int invocations) {
        return inlineLimit();
    }

    /** {@return how invocations are charged for; job summaries estimate a cost only for {@link Billing#PER_GB_SECOND}} */
    default Billing billing() {
        return Billing.NONE;
    }

    /**
     * {@return the memory each worker really has, in MiB, when the backend fixes it rather than the map (a deployed
     * Lambda function's size); empty when the map's {@code jwren.memory} applies} Cost estimates use it.
     */
    default OptionalInt workerMemoryMb() {
        return OptionalInt.empty();
    }

    /**
     * Starts the invocations; returns at once. Retries and speculative copies come through here too, with a
     * higher attempt. An exception thrown when the engine first submits a map's invocations is thrown by the
     * {@code map} call that started it.
     *
     * @param job         the map they belong to
     * @param invocations what to run
     * @param listener    where to report on them
     */
    void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener);

    /**
     * Stops one running invocation, best effort: one that timed out, or the copy of a speculated invocation that
     * lost. The engine no longer waits for it; reports of its start or loss are ignored.
     *
     * @param invocation the invocation and attempt to stop
     */
    void abort(Invocation invocation);

    /**
     * Stops everything of a job, best effort: the map was cancelled or its executor closed. Reports that still
     * come for it are ignored.
     *
     * @param jobId the job
     */
    void cancel(String jobId);

    /**
     * Every invocation of the job is done (results delivered, failed or cancelled): release what was held
     * for it, such as a watch. Nothing more is reported for it. Exceptions thrown here are ignored.
     *
     * @param jobId the job
     */
    default void jobFinished(String jobId) {}

    /** Releases threads, processes and clients. */
    @Override
    void close();
}

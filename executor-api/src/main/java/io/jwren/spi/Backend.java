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
    /** True if invocations run through {@link JobSpec#runInProcess} with no storage round trip. */
    default boolean inProcess() {
        return false;
    }

    /**
     * True if {@link InvocationListener#completed} is reported reliably; false if the engine must learn
     * completion by listing result objects in storage. Such a backend watches no results itself: it reports
     * {@link InvocationListener#lost} once an invocation's deadline passes, and the engine completes the
     * invocation instead if its result object is there.
     */
    default boolean reportsCompletion() {
        return true;
    }

    /**
     * Java class-file major version the workers accept at most (61 = Java 17), or 0 when unknown.
     * Classes compiled for a newer Java are refused at submit.
     */
    default int maxClassFileMajor() {
        return 0;
    }

    /**
     * Extra time an invocation gets beyond {@code timeout × calls} before it counts as timed out: the
     * backend's own start-up cost (a JVM, a cold start). {@code jwren.timeout-grace} overrides it.
     */
    default Duration timeoutGrace() {
        return Duration.ofSeconds(2);
    }

    /** How invocations are charged for; job summaries estimate a cost only for {@link Billing#PER_GB_SECOND}. */
    default Billing billing() {
        return Billing.NONE;
    }

    /**
     * Memory each worker really has, in MiB, when the backend fixes it rather than the map (a deployed
     * Lambda function's size); empty when the map's {@code jwren.memory} applies. Cost estimates use it.
     */
    default OptionalInt workerMemoryMb() {
        return OptionalInt.empty();
    }

    /** Starts the invocations; returns at once. Retries come through here too, with a higher attempt. */
    void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener);

    /** Stops one running invocation, best effort (a timeout). Nothing more is reported for it. */
    void abort(Invocation invocation);

    /** Stops everything of a job, best effort. Nothing more is reported for it. */
    void cancel(String jobId);

    /**
     * Every invocation of the job is done (results delivered, failed or cancelled): release what was held
     * for it, such as a watch. Nothing more is reported for it.
     */
    default void jobFinished(String jobId) {}

    /** Releases threads, processes and clients. */
    @Override
    void close();
}

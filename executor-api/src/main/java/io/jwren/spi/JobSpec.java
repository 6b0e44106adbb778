package io.jwren.spi;

import java.time.Duration;

/** What a backend is told about a map. The engine implements it; backends only read it. */
public interface JobSpec {
    /** {@return the map's job id} */
    String jobId();

    /** {@return the number of calls in the map} */
    int calls();

    /** {@return the number of invocations in the map} */
    int invocations();

    /** {@return how long one call may run; an invocation of n calls gets n times this, plus the grace} */
    Duration callTimeout();

    /**
     * {@return the re-runs each invocation gets after its first run fails or is lost ({@code jwren.retries})}
     * For backends whose platform retries by itself (a Kubernetes Job's {@code backoffLimitPerIndex}). The
     * engine still decides: every re-run it wants comes through {@link Backend#submit} with a higher attempt.
     */
    default int retries() {
        return 0;
    }

    /** {@return memory per worker in MiB, for backends that size their workers} */
    int memoryMb();

    /**
     * {@return the job's manifest, function and inputs in one message, or null} Not null when the job is within
     * the backend's {@link Backend#inlineLimit()}: then storage holds none of these but the manifest, and the
     * backend must hand these bytes to whichever worker runs an invocation of the job (to the worker runtime's
     * entry points that take them), with every attempt.
     */
    default byte[] inlineJob() {
        return null;
    }

    /** {@return the storage holding the job's objects; null for in-process backends} */
    Storage storage();

    /**
     * Runs an invocation's calls in this JVM and delivers their results to the engine directly.
     * Only for backends whose {@link Backend#inProcess()} is true. Returns when every call is done;
     * an interrupt stops it between calls.
     *
     * @param invocation the invocation and attempt to run
     * @param workerId   names the thread that runs it, for stats and messages
     * @throws InterruptedException  if interrupted before every call ran
     * @throws IllegalStateException if the job is not an in-process one
     */
    void runInProcess(Invocation invocation, String workerId) throws InterruptedException;
}

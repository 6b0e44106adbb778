package io.jwren.spi;

import java.time.Duration;

/** What a backend is told about a map. */
public interface JobSpec {
    String jobId();

    /** Calls in the map. */
    int calls();

    /** Invocations in the map. */
    int invocations();

    /** Longest one call may run. */
    Duration callTimeout();

    /**
     * Re-runs each invocation gets after its first run fails or is lost ({@code jwren.retries}), for
     * backends whose platform retries by itself (a Kubernetes Job's {@code backoffLimitPerIndex}). The
     * engine still decides: every re-run it wants comes through {@link Backend#submit} with a higher attempt.
     */
    default int retries() {
        return 0;
    }

    /** Memory per worker in MiB, for backends that size their workers. */
    int memoryMb();

    /** The storage holding the job's objects; null for in-process backends. */
    Storage storage();

    /**
     * Runs an invocation's calls in this JVM and delivers their results to the engine directly.
     * Only for backends whose {@link Backend#inProcess()} is true. Returns when every call is done;
     * an interrupt stops it between calls.
     */
    void runInProcess(Invocation invocation, String workerId) throws InterruptedException;
}

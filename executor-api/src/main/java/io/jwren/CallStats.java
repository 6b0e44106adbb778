package io.jwren;

import java.time.Duration;
import java.time.Instant;

/**
 * Where and when one call ran. Times are wall-clock times of the machines involved; compare start and
 * end of calls on different workers with care.
 *
 * @param index    position of the call in its map
 * @param workerId the worker that produced the result (thread, JVM, Lambda or pod); "none" if no worker reported
 * @param attempt  0 for the first run of its invocation, then 1, 2, ... for each retry or speculative copy
 * @param submitted when the client handed the call's invocation to the backend
 * @param started  when the worker began the call
 * @param finished when the worker finished the call
 * @param failed   true if the call threw, timed out or lost its worker
 * @param reruns   how many times its worker ran it again because it threw a {@link MapOptions#retryOn()} type
 * @param cpuTime  the call's thread CPU time on its worker, over every run of it; zero when not measured (a call
 *                 that failed without a worker, a worker of an older release, a JVM that cannot measure it)
 * @param allocatedBytes bytes the call's thread allocated on its worker, over every run; zero when not measured
 * @param coldStart true if the call belongs to the first invocation its worker ran: the first one of a worker JVM
 *                 (processes, Lambda, k8s), the first one of a pool thread (threads), so its time includes loading
 *                 classes and warming up
 */
public record CallStats(int index, String workerId, int attempt, Instant submitted, Instant started, Instant finished,
                        boolean failed, int reruns, Duration cpuTime, long allocatedBytes, boolean coldStart) {
    /**
     * Stats with nothing measured on the worker: no re-runs, no CPU time or allocation, not a cold start.
     *
     * @param index     position of the call in its map
     * @param workerId  the worker that produced the result
     * @param attempt   the attempt that produced it, 0 for the first
     * @param submitted when the client handed the call's invocation to the backend
     * @param started   when the worker began the call
     * @param finished  when the worker finished the call
     * @param failed    true if the call threw, timed out or lost its worker
     */
    public CallStats(int index, String workerId, int attempt, Instant submitted, Instant started, Instant finished,
                     boolean failed) {
        this(index, workerId, attempt, submitted, started, finished, failed, 0, Duration.ZERO, 0, false);
    }

    /**
     * Stats of a call that succeeded.
     *
     * @param index     position of the call in its map
     * @param workerId  the worker that produced the result
     * @param attempt   the attempt that produced it, 0 for the first
     * @param submitted when the client handed the call's invocation to the backend
     * @param started   when the worker began the call
     * @param finished  when the worker finished the call
     */
    public CallStats(int index, String workerId, int attempt, Instant submitted, Instant started, Instant finished) {
        this(index, workerId, attempt, submitted, started, finished, false);
    }

    /** {@return the share of the call's run time its thread spent on a CPU, 0 to 1 (more with threads of its own)} */
    public double cpuShare() {
        long nanos = duration().toNanos();
        return nanos <= 0 ? 0 : (double) cpuTime.toNanos() / nanos;
    }

    /** {@return how long the call ran on its worker: from started to finished} */
    public Duration duration() {
        return Duration.between(started, finished);
    }
}

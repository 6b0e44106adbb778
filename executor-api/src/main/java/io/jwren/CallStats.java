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
 */
public record CallStats(int index, String workerId, int attempt, Instant submitted, Instant started, Instant finished,
                        boolean failed) {
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

    /** {@return how long the call ran on its worker: from started to finished} */
    public Duration duration() {
        return Duration.between(started, finished);
    }
}

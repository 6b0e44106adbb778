package io.jwren;

import java.time.Instant;

/**
 * Where and when one call ran. Times are wall-clock times of the machines involved; compare start and
 * end of calls on different workers with care.
 *
 * @param index    position of the call in its map
 * @param workerId the worker that produced the result (thread, JVM, Lambda or pod)
 * @param attempt  0 for the first run of its invocation, then 1, 2, ... for retries
 * @param submitted when the client handed the call's invocation to the backend
 * @param started  when the worker began the call
 * @param finished when the worker finished the call
 */
public record CallStats(int index, String workerId, int attempt, Instant submitted, Instant started, Instant finished) {}

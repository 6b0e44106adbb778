package io.jwren.engine.protocol;

import java.util.List;

/**
 * What one call cost on its worker, measured there, and the failures that made the worker run it again.
 *
 * @param cpuNanos       the call's thread CPU time, over every run of it; -1 if the JVM cannot measure it
 * @param allocatedBytes bytes its thread allocated, over every run; -1 if the JVM cannot measure it
 * @param coldStart      it belongs to the first invocation its worker ran
 * @param reruns         what each run before the last threw (a {@link RetryPolicy} type): one entry per re-run
 */
public record CallMetrics(long cpuNanos, long allocatedBytes, boolean coldStart, List<ErrorInfo> reruns) {
    /** Nothing measured: a call that failed before it ran, or a result of protocol version 1. */
    public static final CallMetrics NONE = new CallMetrics(-1, -1, false, List.of());

    public CallMetrics {
        reruns = List.copyOf(reruns);
    }
}

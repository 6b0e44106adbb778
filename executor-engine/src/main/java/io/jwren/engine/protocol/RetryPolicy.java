package io.jwren.engine.protocol;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a worker runs one call again: the call threw one of {@link #types} (by class name, or a subclass of one), and
 * it has been re-run fewer than {@link #retries} times. Before re-run k (0 for the first) it waits a random time
 * between zero and min(max, initial × 2<sup>k</sup>): "full jitter", so calls that failed together do not come
 * back together.
 *
 * @param types     exception class names; empty for no re-runs
 * @param retries   re-runs a call gets at most
 * @param initialMs cap of the first wait
 * @param maxMs     cap of every wait
 */
public record RetryPolicy(List<String> types, int retries, long initialMs, long maxMs) {
    /** No call is re-run. */
    public static final RetryPolicy NONE = new RetryPolicy(List.of(), 0, 0, 0);

    public RetryPolicy {
        types = List.copyOf(types);
    }

    /** Whether a call that threw {@code t} after {@code reruns} re-runs is run again. */
    public boolean reruns(Throwable t, int reruns) {
        if (reruns >= retries || types.isEmpty()) return false;
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (types.contains(c.getName())) return true;
        }
        return false;
    }

    /**
     * The wait before re-run {@code rerun} (0 for the first).
     *
     * @param random a uniform value in [0, 1)
     */
    public long delayMs(int rerun, DoubleSupplier random) {
        long cap = initialMs;
        for (int i = 0; i < rerun && cap < maxMs; i++) cap = cap * 2;
        cap = Math.min(maxMs, cap);
        return (long) (random.getAsDouble() * (cap + 1));
    }
}

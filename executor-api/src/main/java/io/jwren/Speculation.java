package io.jwren;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When to launch a second copy of a slow invocation (a straggler), as Spark's speculative execution does:
 * once {@code quantile} of a map's invocations are done, an invocation that has run longer than
 * {@code multiplier} × their median duration (and at least {@code minRuntime}) is started again beside
 * the first copy. Whichever copy delivers first gives the results; the other is stopped. A copy is not a
 * retry: it does not spend {@code retries}. Each invocation gets at most one speculative copy.
 *
 * <p>Only for calls that may run twice: a call with outside effects (writing a file, sending a message)
 * may then do so twice. Off unless a map's options or {@code jwren.speculation=true} turn it on;
 * {@code jwren.speculation.quantile}, {@code .multiplier} and {@code .min-runtime} tune it.
 */
public final class Speculation {
    /** No speculative copies. */
    public static final Speculation OFF = new Speculation(false, 0.75, 1.5, Duration.ofSeconds(1));
    /** Spark's defaults: after 75% of invocations, 1.5 × their median, at least one second. */
    public static final Speculation DEFAULT = new Speculation(true, 0.75, 1.5, Duration.ofSeconds(1));

    private final boolean enabled;
    private final double quantile;
    private final double multiplier;
    private final Duration minRuntime;

    private Speculation(boolean enabled, double quantile, double multiplier, Duration minRuntime) {
        if (!(quantile > 0 && quantile <= 1)) throw new IllegalArgumentException("quantile must be in (0, 1], was " + quantile);
        if (!(multiplier >= 1)) throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        if (minRuntime == null || minRuntime.isNegative())
            throw new IllegalArgumentException("minRuntime must be zero or more, was " + minRuntime);
        this.enabled = enabled;
        this.quantile = quantile;
        this.multiplier = multiplier;
        this.minRuntime = minRuntime;
    }

    /**
     * Speculation on, after {@code quantile} of the invocations are done, beyond {@code multiplier} × their median,
     * never before {@link #DEFAULT}'s minimum runtime.
     *
     * @param quantile   the share of invocations that must be done first, in (0, 1]
     * @param multiplier how many times the median an invocation must run past, at least 1
     * @return the policy
     * @throws IllegalArgumentException if a value is out of range
     */
    public static Speculation after(double quantile, double multiplier) {
        return new Speculation(true, quantile, multiplier, DEFAULT.minRuntime);
    }

    /**
     * The same policy, but never for an invocation that has run less than {@code minRuntime}.
     *
     * @param minRuntime zero or more
     * @return a new policy
     * @throws IllegalArgumentException if {@code minRuntime} is null or negative
     */
    public Speculation minRuntime(Duration minRuntime) {
        return new Speculation(enabled, quantile, multiplier, minRuntime);
    }

    /**
     * The policy the {@code jwren.speculation*} keys give: {@link #OFF} unless {@code jwren.speculation} is true,
     * else {@link #DEFAULT}'s values where a key is unset.
     *
     * @param config the resolved settings
     * @return the policy
     * @throws IllegalArgumentException if a value is malformed or out of range
     */
    public static Speculation from(Config config) {
        if (!config.getBoolean("jwren.speculation", false)) return OFF;
        return new Speculation(true, Double.parseDouble(config.get("jwren.speculation.quantile", String.valueOf(DEFAULT.quantile))),
                Double.parseDouble(config.get("jwren.speculation.multiplier", String.valueOf(DEFAULT.multiplier))),
                config.getDuration("jwren.speculation.min-runtime", DEFAULT.minRuntime));
    }

    /** {@return true if this policy launches copies at all} */
    public boolean enabled() {
        return enabled;
    }

    /** {@return the share of a map's invocations that must be done before any copy, in (0, 1]} */
    public double quantile() {
        return quantile;
    }

    /** {@return how many times the median duration an invocation must run past to get a copy} */
    public double multiplier() {
        return multiplier;
    }

    /** {@return how long an invocation must have run, at least, to get a copy} */
    public Duration minRuntime() {
        return minRuntime;
    }

    /**
     * How long an invocation may run before it gets a copy: the larger of {@link #minRuntime()} and
     * {@link #multiplier()} × the median of the done invocations' durations.
     *
     * @param doneDurationsMs how long each invocation done so far ran, in milliseconds
     * @param total           invocations in the map
     * @return the threshold in milliseconds; -1 while disabled or while fewer than {@link #quantile()} of
     *         {@code total} are done
     */
    public long thresholdMs(long[] doneDurationsMs, int total) {
        if (!enabled || total == 0 || doneDurationsMs.length < Math.ceil(quantile * total)) return -1;
        if (doneDurationsMs.length == 0) return minRuntime.toMillis();
        long[] sorted = doneDurationsMs.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted[(sorted.length - 1) / 2];
        return Math.max(minRuntime.toMillis(), (long) Math.ceil(multiplier * median));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Speculation s && enabled == s.enabled && quantile == s.quantile && multiplier == s.multiplier
                && minRuntime.equals(s.minRuntime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, quantile, multiplier, minRuntime);
    }

    @Override
    public String toString() {
        return enabled ? String.format(Locale.ROOT, "Speculation{after %.0f%%, %.2f x median, at least %s}",
                quantile * 100, multiplier, minRuntime) : "Speculation{off}";
    }
}

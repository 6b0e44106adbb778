package io.jwren;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Per-map settings. Immutable; start from {@link #builder()} or {@link #defaults()}, change with
 * {@link #toBuilder()}. A field left unset takes the executor's configured value
 * ({@code jwren.chunk-size}, {@code jwren.timeout}, {@code jwren.retries}, {@code jwren.memory}).
 */
public final class MapOptions {
    private static final MapOptions DEFAULTS = new Builder().build();

    private final Integer chunkSize;
    private final Duration timeout;
    private final Integer retries;
    private final Integer memoryMb;
    private final CallListener listener;
    private final Speculation speculation;
    private final List<Class<? extends Throwable>> retryOn;
    private final Duration backoffInitial;
    private final Duration backoffMax;

    private MapOptions(Builder b) {
        this.chunkSize = b.chunkSize;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.memoryMb = b.memoryMb;
        this.listener = b.listener;
        this.speculation = b.speculation;
        this.retryOn = List.copyOf(b.retryOn);
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return options with nothing set: every value comes from the executor's configuration} */
    public static MapOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder that starts from these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.chunkSize = chunkSize;
        b.timeout = timeout;
        b.retries = retries;
        b.memoryMb = memoryMb;
        b.listener = listener;
        b.speculation = speculation;
        b.retryOn.addAll(retryOn);
        b.backoffInitial = backoffInitial;
        b.backoffMax = backoffMax;
        return b;
    }

    /** {@return calls per invocation, or null for the configured value (0 there means: chosen per map)} */
    public Integer chunkSize() {
        return chunkSize;
    }

    /**
     * {@return how long each call may run, or null for the configured value} An invocation of n calls times
     * out n times this, plus the backend's grace ({@code jwren.timeout-grace}), after a worker started it; it is
     * then stopped and retried, or its calls fail with {@link CallTimeoutException} once the retries are spent.
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * {@return how many times an invocation whose worker died or timed out is run again, or null for the configured
     * value} It is also how many times a call that throws a {@link #retryOn()} type is run again on its worker.
     */
    public Integer retries() {
        return retries;
    }

    /**
     * {@return memory for each worker in MiB, or null for the configured value} The k8s backend sizes its pods
     * with it; a Lambda function has the memory it was deployed with, and local worker JVMs take their heap
     * from the configuration.
     */
    public Integer memoryMb() {
        return memoryMb;
    }

    /** {@return the listener that hears of this map's call events, or null} */
    public CallListener listener() {
        return listener;
    }

    /** {@return when slow invocations get a second copy, or null for the configured policy ({@code jwren.speculation})} */
    public Speculation speculation() {
        return speculation;
    }

    /**
     * {@return the exception types that re-run a call, in the order given; empty for none} A call that throws one of
     * them (or a subtype) is run again on its worker, the call alone and not its whole invocation, after a
     * {@linkplain #backoffInitial() backoff}, up to {@link #retries()} times; any other exception fails it at once.
     */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /**
     * {@return the longest wait before the first re-run of a call for a {@link #retryOn()} type} The wait before
     * re-run k (0 for the first) is a random duration between zero and the smaller of {@link #backoffMax()} and this
     * times 2<sup>k</sup> ("full jitter"). Defaults to 100 ms.
     */
    public Duration backoffInitial() {
        return backoffInitial;
    }

    /** {@return the cap on the wait before a re-run (see {@link #backoffInitial()}); defaults to 10 s} */
    public Duration backoffMax() {
        return backoffMax;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapOptions m && Objects.equals(chunkSize, m.chunkSize) && Objects.equals(timeout, m.timeout)
                && Objects.equals(retries, m.retries) && Objects.equals(memoryMb, m.memoryMb) && Objects.equals(listener, m.listener)
                && Objects.equals(speculation, m.speculation) && retryOn.equals(m.retryOn)
                && backoffInitial.equals(m.backoffInitial) && backoffMax.equals(m.backoffMax);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkSize, timeout, retries, memoryMb, listener, speculation, retryOn, backoffInitial, backoffMax);
    }

    @Override
    public String toString() {
        return "MapOptions{chunkSize=" + chunkSize + ", timeout=" + timeout + ", retries=" + retries
                + ", memoryMb=" + memoryMb + (listener == null ? "" : ", listener=" + listener)
                + (speculation == null ? "" : ", speculation=" + speculation)
                + (retryOn.isEmpty() ? "" : ", retryOn=" + retryOn.stream().map(Class::getName).toList()
                        + ", backoff=" + backoffInitial + ".." + backoffMax) + '}';
    }

    /** Sets the options of one map; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private Integer chunkSize;
        private Duration timeout;
        private Integer retries;
        private Integer memoryMb;
        private CallListener listener;
        private Speculation speculation;
        private final Set<Class<? extends Throwable>> retryOn = new LinkedHashSet<>();
        private Duration backoffInitial = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(10);

        private Builder() {}

        /**
         * Calls per invocation: 1 runs each call alone; larger values cut requests and start-ups per call.
         *
         * @param chunkSize calls per invocation, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code chunkSize} is less than 1
         */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * How long each call may run (see {@link MapOptions#timeout()}).
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * How many times an invocation whose worker died or timed out is run again.
         *
         * @param retries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code retries} is negative
         */
        public Builder retries(int retries) {
            if (retries < 0) throw new IllegalArgumentException("retries must be 0 or more, was " + retries);
            this.retries = retries;
            return this;
        }

        /**
         * Memory for each worker (see {@link MapOptions#memoryMb()}).
         *
         * @param memoryMb MiB, at least 64
         * @return this builder
         * @throws IllegalArgumentException if {@code memoryMb} is less than 64
         */
        public Builder memoryMb(int memoryMb) {
            if (memoryMb < 64) throw new IllegalArgumentException("memoryMb must be at least 64, was " + memoryMb);
            this.memoryMb = memoryMb;
            return this;
        }

        /**
         * Hears of each call's completion, failure and retries (see {@link CallListener}).
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public Builder listener(CallListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Second copies of stragglers (see {@link Speculation}).
         *
         * @param speculation the policy; {@link Speculation#OFF} turns the configured policy off, null keeps it
         * @return this builder
         */
        public Builder speculation(Speculation speculation) {
            this.speculation = speculation;
            return this;
        }

        /**
         * Re-runs a call that throws one of these types or a subtype (see {@link MapOptions#retryOn()}), up to
         * {@link MapOptions#retries()} times; adds to the types given before.
         *
         * @param types exception types, none of them null
         * @return this builder
         * @throws IllegalArgumentException if a type is null
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                if (t == null) throw new IllegalArgumentException("retryOn types must not be null");
                retryOn.add(t);
            }
            return this;
        }

        /**
         * The wait before each re-run for a {@link #retryOn} type: full jitter, doubling from {@code initial} up to
         * {@code max} (see {@link MapOptions#backoffInitial()}).
         *
         * @param initial the cap of the first wait, zero or more
         * @param max     the cap of every wait, at least {@code initial}
         * @return this builder
         * @throws IllegalArgumentException if either is null or negative, or {@code max} is less than {@code initial}
         */
        public Builder backoff(Duration initial, Duration max) {
            if (initial == null || max == null || initial.isNegative() || max.compareTo(initial) < 0)
                throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + ", " + max);
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** {@return the options set so far} */
        public MapOptions build() {
            return new MapOptions(this);
        }
    }
}

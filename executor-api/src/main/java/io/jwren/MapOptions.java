package io.jwren;

import java.time.Duration;
import java.util.Objects;

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

    private MapOptions(Builder b) {
        this.chunkSize = b.chunkSize;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.memoryMb = b.memoryMb;
        this.listener = b.listener;
        this.speculation = b.speculation;
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

    /** {@return how many times an invocation whose worker died or timed out is run again, or null for the configured value} */
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

    @Override
    public boolean equals(Object o) {
        return o instanceof MapOptions m && Objects.equals(chunkSize, m.chunkSize) && Objects.equals(timeout, m.timeout)
                && Objects.equals(retries, m.retries) && Objects.equals(memoryMb, m.memoryMb) && Objects.equals(listener, m.listener)
                && Objects.equals(speculation, m.speculation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkSize, timeout, retries, memoryMb, listener, speculation);
    }

    @Override
    public String toString() {
        return "MapOptions{chunkSize=" + chunkSize + ", timeout=" + timeout + ", retries=" + retries
                + ", memoryMb=" + memoryMb + (listener == null ? "" : ", listener=" + listener)
                + (speculation == null ? "" : ", speculation=" + speculation) + '}';
    }

    /** Sets the options of one map; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private Integer chunkSize;
        private Duration timeout;
        private Integer retries;
        private Integer memoryMb;
        private CallListener listener;
        private Speculation speculation;

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

        /** {@return the options set so far} */
        public MapOptions build() {
            return new MapOptions(this);
        }
    }
}

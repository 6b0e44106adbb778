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

    public static Builder builder() {
        return new Builder();
    }

    /** Options with nothing set: every value comes from the executor's configuration. */
    public static MapOptions defaults() {
        return DEFAULTS;
    }

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

    /** Calls per invocation, or null for the configured value (0 there means: chosen per map). */
    public Integer chunkSize() {
        return chunkSize;
    }

    /** Longest one call may run before it is stopped and retried, or null for the configured value. */
    public Duration timeout() {
        return timeout;
    }

    /** How many times an invocation whose worker died or timed out is run again, or null for the configured value. */
    public Integer retries() {
        return retries;
    }

    /** Memory for each worker in MiB (Lambda, Kubernetes), or null for the configured value. */
    public Integer memoryMb() {
        return memoryMb;
    }

    /** The listener that hears of this map's call events, or null. */
    public CallListener listener() {
        return listener;
    }

    /** When slow invocations get a second copy, or null for the configured policy ({@code jwren.speculation}). */
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

    public static final class Builder {
        private Integer chunkSize;
        private Duration timeout;
        private Integer retries;
        private Integer memoryMb;
        private CallListener listener;
        private Speculation speculation;

        private Builder() {}

        /** Calls per invocation: 1 runs each call alone; larger values cut requests and start-ups per call. */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            this.timeout = timeout;
            return this;
        }

        public Builder retries(int retries) {
            if (retries < 0) throw new IllegalArgumentException("retries must be 0 or more, was " + retries);
            this.retries = retries;
            return this;
        }

        public Builder memoryMb(int memoryMb) {
            if (memoryMb < 64) throw new IllegalArgumentException("memoryMb must be at least 64, was " + memoryMb);
            this.memoryMb = memoryMb;
            return this;
        }

        /** Hears of each call's completion, failure and retries (see {@link CallListener}); null for none. */
        public Builder listener(CallListener listener) {
            this.listener = listener;
            return this;
        }

        /** Second copies of stragglers (see {@link Speculation}); {@link Speculation#OFF} to turn the configured policy off. */
        public Builder speculation(Speculation speculation) {
            this.speculation = speculation;
            return this;
        }

        public MapOptions build() {
            return new MapOptions(this);
        }
    }
}

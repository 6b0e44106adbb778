package io.jwren.engine;

import io.jwren.spi.Invocation;

/**
 * What a map knows of one of its invocations: the attempt that counts now, where it is, when it was handed
 * over and first started, its timeout timer, and the first copy when a speculative copy replaced it as
 * current. Guarded by the owning {@link MapJob}'s lock.
 */
final class InvocationSlot {
    enum Phase { PENDING, RUNNING, DONE }

    /** The attempt whose reports count (a speculative copy once one was launched). */
    Invocation current;
    Phase phase = Phase.PENDING;
    /** When {@link #current} was handed to the backend. */
    long submittedMs;
    /** When the invocation first started, whichever attempt; -1 until then. */
    long startedMs = -1;
    /** From first start to done; -1 while running or when it never started. */
    long durationMs = -1;
    /** Fires when the running attempt's time is up; null when none is armed. */
    EngineTime.Cancellable timer;
    /** The first copy, once a speculative copy was launched beside it; null otherwise. */
    Invocation speculatedFrom;
    /** Watchers were told it ended ({@link MapJob#watch}); and whether it left a result or delivered its outcomes. */
    boolean announced;
    boolean resultStored;

    InvocationSlot(Invocation first) {
        this.current = first;
    }

    /** True if {@code inv} is the attempt that counts and the invocation is not done. */
    boolean isLive(Invocation inv) {
        return phase != Phase.DONE && current.attempt() == inv.attempt();
    }

    /** {@code next} replaces the current attempt and waits to start. */
    void resubmitted(Invocation next, long nowMs) {
        current = next;
        phase = Phase.PENDING;
        submittedMs = nowMs;
    }

    /** Retries {@code inv} has used up; a speculative copy is not one. */
    int retriesSpent(Invocation inv) {
        return inv.attempt() - (speculatedFrom != null ? 1 : 0);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}

package io.jwren.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls of a map that are not done yet, and releases waiters when none are left. Each call
 * future counts itself down once, when it completes; one shared counter is far cheaper than a
 * completion callback per call, which dominated the cost of short in-process calls.
 */
final class CallCountdown {
    private final AtomicInteger remaining;
    private final CountDownLatch zero = new CountDownLatch(1);
    private final CompletableFuture<Void> reachedZero = new CompletableFuture<>();

    CallCountdown(int calls) {
        this.remaining = new AtomicInteger(calls);
        if (calls == 0) reachZero();
    }

    void callDone() {
        if (remaining.decrementAndGet() == 0) reachZero();
    }

    private void reachZero() {
        zero.countDown();
        reachedZero.complete(null);
    }

    /** Runs {@code action} once no call is left: at once if none is, else on the thread completing the last. */
    void whenZero(Runnable action) {
        reachedZero.thenRun(action);
    }

    int remaining() {
        return Math.max(0, remaining.get());
    }

    boolean isZero() {
        return zero.getCount() == 0;
    }

    void await() throws InterruptedException {
        zero.await();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return zero.await(timeout, unit);
    }
}

package io.jwren.engine;

import io.jwren.Await;
import io.jwren.AwaitResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** {@code Executor.await}: waits on completion callbacks, or polls futures that offer none. */
final class Awaiting {
    private static final long POLL_MS = 10;

    private Awaiting() {}

    static <F extends Future<?>> AwaitResult<F> await(Collection<F> futures, Await mode, Duration timeout)
            throws InterruptedException {
        List<F> all = List.copyOf(futures);
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        boolean polling = false;
        for (F f : all) {
            CompletableFuture<?> cf = JWrenExecutor.completion(f);
            if (cf == null) {
                polling = true;
                continue;
            }
            cf.whenComplete((v, t) -> {
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            });
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!satisfied(all, mode)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                long wait = polling ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)) : left;
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
        List<F> done = new ArrayList<>();
        List<F> notDone = new ArrayList<>();
        for (F f : all) (f.isDone() ? done : notDone).add(f);
        return new AwaitResult<>(done, notDone);
    }

    private static boolean satisfied(List<? extends Future<?>> all, Await mode) {
        if (all.isEmpty()) return true;
        boolean allDone = true;
        for (Future<?> f : all) {
            if (f.isDone()) {
                if (mode == Await.ANY) return true;
                if (mode == Await.FIRST_EXCEPTION && failed(f)) return true;
            } else {
                allDone = false;
            }
        }
        return allDone;
    }

    private static boolean failed(Future<?> f) {
        CompletableFuture<?> cf = JWrenExecutor.completion(f);
        if (cf != null) return cf.isCompletedExceptionally();
        if (f.isCancelled()) return true;
        try {
            f.get(0, TimeUnit.MILLISECONDS);
            return false;
        } catch (Exception e) {
            return true;
        }
    }
}

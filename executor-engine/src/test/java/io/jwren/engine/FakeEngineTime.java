package io.jwren.engine;

import java.util.PriorityQueue;

/**
 * Time that moves only when the test moves it. {@link #advance} runs every task due by the new time, in
 * the order of their due time and, for equal times, of scheduling; tasks they schedule run too when due
 * within the step. {@link #execute} queues a task due now, so it runs at the next advance, even of zero.
 */
final class FakeEngineTime implements EngineTime {
    private static final class Task implements EngineTime.Cancellable {
        final long dueMs;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long dueMs, long seq, Runnable body) {
            this.dueMs = dueMs;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.dueMs != b.dueMs ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
    private long nowMs;
    private long seq;

    FakeEngineTime(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public synchronized long nowMs() {
        return nowMs;
    }

    @Override
    public synchronized EngineTime.Cancellable schedule(Runnable task, long delayMs) {
        if (delayMs < 0) throw new IllegalArgumentException("negative delay " + delayMs);
        Task t = new Task(nowMs + delayMs, seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    /** Moves the clock {@code ms} forward, running what falls due on the way, each at its own due time. */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = nowMs + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueMs > target) {
                    nowMs = target;
                    return;
                }
                queue.poll();
                nowMs = next.dueMs;
            }
            if (!next.cancelled) next.body.run(); // outside the lock: a task may schedule more
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }
}

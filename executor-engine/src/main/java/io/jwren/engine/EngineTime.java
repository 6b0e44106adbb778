package io.jwren.engine;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The engine's only source of time: what the clock says and when something runs later. Production runs over
 * the executor's timer thread and the system clock ({@link #over}); tests pass a clock that moves only when
 * they move it, so timeouts, retries, speculation and polling are tested without waiting.
 */
interface EngineTime {
    /** Milliseconds since the epoch: call stats show them as instants. */
    long nowMs();

    /** Runs {@code task} once, {@code delayMs} from now. */
    Cancellable schedule(Runnable task, long delayMs);

    /** Runs {@code task} soon, on the engine's timer thread rather than the caller's. */
    void execute(Runnable task);

    /** A scheduled task that may still be stopped before it runs. */
    interface Cancellable {
        /** Stops the task if it has not run yet; does nothing otherwise. */
        void cancel();
    }

    /** Time as the system clock tells it, with tasks run by {@code scheduler}. */
    static EngineTime over(ScheduledExecutorService scheduler) {
        return new EngineTime() {
            @Override
            public long nowMs() {
                return System.currentTimeMillis();
            }

            @Override
            public Cancellable schedule(Runnable task, long delayMs) {
                var future = scheduler.schedule(task, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public void execute(Runnable task) {
                scheduler.execute(task);
            }
        };
    }
}

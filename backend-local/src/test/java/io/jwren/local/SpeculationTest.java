package io.jwren.local;

import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.Speculation;
import io.jwren.testing.HangOnce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stragglers get a second copy: in each map one call's first run hangs far longer than the test waits,
 * and only a speculative copy of its invocation can finish the map in time. The losing copy is stopped.
 */
class SpeculationTest {
    private static final Speculation FAST = Speculation.after(0.5, 2).minRuntime(Duration.ofMillis(200));

    @TempDir
    Path dir;

    /** The first run of call 3 hangs (until interrupted); later runs return at once. Threads share these. */
    static final class Straggler {
        static final AtomicBoolean firstRunTaken = new AtomicBoolean();
        static final CountDownLatch interrupted = new CountDownLatch(1);

        static int run(int x) {
            if (x == 3 && firstRunTaken.compareAndSet(false, true)) {
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopped");
                }
            }
            return x * 10;
        }
    }

    @Test
    void onThreadsTheCopyFinishesTheMapAndTheHangingFirstCopyIsInterrupted() throws Exception {
        try (Executor ex = Executor.builder().backend("threads").property("jwren.workers", "4").build()) {
            MapFuture<Integer> f = ex.map(Straggler::run, IntStream.range(0, 8).boxed().toList(),
                    MapOptions.builder().chunkSize(1).retries(0).speculation(FAST).build());
            assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70), f.get(60, TimeUnit.SECONDS));
            assertTrue(Straggler.interrupted.await(30, TimeUnit.SECONDS), "the losing first copy was not stopped");
            JobStats stats = f.stats();
            // Call 3 surely gets a copy; on a loaded machine another invocation may pass the 200 ms threshold too,
            // but never more than one copy each, and with retries(0) nothing else adds attempts.
            assertTrue(stats.attempts() >= 9 && stats.attempts() <= 16, "8 invocations + 1 to 8 copies: " + stats);
            assertEquals(1, stats.callStats().get(3).attempt(), "call 3's result came from the copy");
            assertFalse(stats.callStats().get(3).failed(), "the first copy's failure on interrupt is not the call's");
        }
    }

    @Test
    void onWorkerJvmsTheCopyFinishesTheMap() throws Exception {
        try (Executor ex = Executor.builder().backend("processes").storage(dir.resolve("store").toUri().toString())
                .property("jwren.workers", "3").build()) {
            MapFuture<Integer> f = ex.map(HangOnce.plus100(dir.toString(), 3), IntStream.range(0, 6).boxed().toList(),
                    MapOptions.builder().chunkSize(1).retries(0).speculation(FAST).build());
            assertEquals(List.of(100, 101, 102, 103, 104, 105), f.get(120, TimeUnit.SECONDS));
            assertTrue(Files.exists(dir.resolve("first-run-of-3")), "call 3's first run never ran");
            JobStats stats = f.stats();
            // As above: call 3's copy surely, a slow worker JVM start may speculate another invocation as well.
            assertTrue(stats.attempts() >= 7 && stats.attempts() <= 12, "6 invocations + 1 to 6 copies: " + stats);
            assertEquals(1, stats.callStats().get(3).attempt(), "call 3's result came from the copy");
        }
    }

    @Test
    void theThresholdWaitsForTheQuantileAndHasAFloor() {
        Speculation s = Speculation.after(0.75, 1.5).minRuntime(Duration.ofMillis(100));
        assertEquals(-1, s.thresholdMs(new long[] {10, 20}, 4), "2 of 4 done is under 75%");
        assertEquals(450, s.thresholdMs(new long[] {300, 200, 400}, 4), "1.5 x the median 300");
        assertEquals(100, s.thresholdMs(new long[] {10, 20, 30}, 4), "never under minRuntime");
        assertEquals(-1, Speculation.OFF.thresholdMs(new long[] {1, 2, 3, 4}, 4));
    }
}

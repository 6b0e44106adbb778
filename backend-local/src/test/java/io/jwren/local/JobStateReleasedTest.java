package io.jwren.local;

import io.jwren.CallTimeoutException;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.SerializableFunction;
import io.jwren.testing.RememberingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A backend holds nothing for a job once the job has ended: after a thousand maps (succeeding, failing,
 * timing out, cancelled) the local backends track no invocation.
 */
class JobStateReleasedTest {
    private static final int MAPS = 1000;

    @TempDir
    Path storage;

    /** Fails call 1 of every map whose first input is a multiple of 7; hangs on input -1 until interrupted. */
    private static SerializableFunction<Integer, Integer> work() {
        return x -> {
            if (x == -1) {
                while (!Thread.currentThread().isInterrupted()) LockSupport.park();
                return x;
            }
            if (x % 7 == 1 && x > 100) throw new IllegalStateException("bad input " + x);
            return x + 1;
        };
    }

    private static void runMaps(Executor ex, int maps, boolean withTimeouts) throws Exception {
        List<MapFuture<Integer>> futures = new ArrayList<>();
        List<Boolean> cancelled = new ArrayList<>();
        for (int m = 0; m < maps; m++) {
            int base = m * 1000;
            boolean timesOut = withTimeouts && m % 200 == 3;
            List<Integer> inputs = timesOut ? List.of(base, -1) : List.of(base, base + 1, base + 2);
            MapOptions.Builder options = MapOptions.builder().chunkSize(1);
            if (timesOut) options.timeout(Duration.ofMillis(200)).retries(0);
            MapFuture<Integer> f = ex.map(work(), inputs, options.build());
            boolean cancel = m % 50 == 9;
            if (cancel) f.cancel(true);
            futures.add(f);
            cancelled.add(cancel);
        }
        for (int m = 0; m < futures.size(); m++) {
            MapFuture<Integer> f = futures.get(m);
            for (int i = 0; i < f.calls().size(); i++) {
                try {
                    int value = f.calls().get(i).get(120, TimeUnit.SECONDS);
                    assertEquals(m * 1000 + i + 1, value, "map " + m + " call " + i);
                } catch (CancellationException e) {
                    assertTrue(cancelled.get(m), "map " + m + " call " + i + " cancelled");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CallTimeoutException) continue;
                    IllegalStateException bad = assertInstanceOf(IllegalStateException.class, e.getCause());
                    assertTrue(bad.getMessage().startsWith("bad input"), bad.getMessage());
                }
            }
        }
    }

    /** Waits for the backend to let go; its last reports may trail the futures by a moment. */
    private static void assertDrained(String what, IntSupplier held) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (held.getAsInt() != 0) {
            if (System.nanoTime() > deadline) fail(what + " still holds " + held.getAsInt() + " invocations after " + MAPS + " maps");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void theThreadsBackendHoldsNothingAfterAThousandMaps() throws Exception {
        try (Executor ex = Executor.builder().backend("threads-held").property("jwren.workers", "4").build()) {
            runMaps(ex, MAPS, true);
            ThreadsBackend backend = RememberingProvider.backendOf(ex.id());
            assertDrained("the threads backend", backend::heldInvocations);
        }
    }

    @Test
    void theProcessesBackendHoldsNothingAfterAThousandMaps() throws Exception {
        try (Executor ex = Executor.builder().backend("processes-held").property("jwren.workers", "2")
                .storage(storage.toUri().toString()).build()) {
            long t0 = System.nanoTime();
            runMaps(ex, MAPS, false);
            ProcessesBackend backend = RememberingProvider.backendOf(ex.id());
            assertDrained("the processes backend", backend::heldInvocations);
            System.out.printf("processes: %d maps in %d ms%n", MAPS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }
}

package io.jwren.local;

import io.jwren.CallEvent;
import io.jwren.CallListener;
import io.jwren.CallStats;
import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.SerializableBinaryOperator;
import io.jwren.SerializableFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 18, points 1, 3 and 6 on both local backends: checked exceptions, re-runs by exception type, each call's cost. */
class CallsThrowRetryAndCostTest {
    @TempDir
    Path dir;

    private Executor executor(String backend) {
        return Executor.builder().backend(backend).storage(dir.resolve("store").toUri().toString())
                .property("jwren.workers", "2").property("jwren.progress", "false").build();
    }

    /** Reads a file that is not there: a map needs no wrapping for it. */
    static SerializableFunction<Integer, Integer> readsAMissingFile(String missing) {
        return x -> x == 1 ? Files.readAllBytes(Path.of(missing)).length : x * 10;
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aCheckedExceptionArrivesAsTheCauseWithItsType(String backend) throws Exception {
        String missing = dir.resolve("no-such-file").toString();
        SerializableFunction<Integer, Integer> fn = readsAMissingFile(missing);
        try (Executor ex = executor(backend)) {
            MapFuture<Integer> f = ex.map(fn, List.of(0, 1, 2));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            IOException cause = assertInstanceOf(java.nio.file.NoSuchFileException.class, e.getCause());
            assertTrue(cause.getMessage().contains("no-such-file"), cause.getMessage());
            assertEquals(20, f.calls().get(2).get());

            SerializableBinaryOperator<Integer> refusesBig = (a, b) -> {
                if (a + b > 5) throw new IOException("sum " + (a + b) + " too big");
                return a + b;
            };
            ExecutionException r = assertThrows(ExecutionException.class,
                    () -> ex.mapReduce((Integer x) -> x, List.of(1, 2, 3), refusesBig).get(60, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, r.getCause());
            assertEquals("sum 6 too big", r.getCause().getMessage());
        }
        // the same object is a Function: in a stream the checked exception comes wrapped
        assertEquals(List.of(0, 20), List.of(0, 2).stream().map(fn).toList());
        UndeclaredThrowableException u = assertThrows(UndeclaredThrowableException.class, () -> List.of(1).stream().map(fn).toList());
        assertInstanceOf(java.nio.file.NoSuchFileException.class, u.getCause());
    }

    /** Runs per job and input, in whichever JVM runs the calls. */
    static final class Runs {
        static final Map<String, AtomicInteger> COUNT = new ConcurrentHashMap<>();

        static int next(String token, int input) {
            return COUNT.computeIfAbsent(token + "/" + input, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Throws an IOException on the first {@code failures} runs of each call, then succeeds. */
    static SerializableFunction<Integer, Integer> flaky(String token, int failures) {
        return x -> {
            int run = Runs.next(token, x);
            if (run <= failures) throw new java.net.SocketTimeoutException("run " + run + " of call " + x);
            return x + 100;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aListedTypeReRunsTheCallOnItsWorkerAndIsCounted(String backend) throws Exception {
        ConcurrentLinkedQueue<CallEvent> reran = new ConcurrentLinkedQueue<>();
        CallListener listener = new CallListener() {
            @Override
            public void reran(CallEvent event) {
                reran.add(event);
            }
        };
        MapOptions opts = MapOptions.builder().retryOn(IOException.class).retries(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(4)).chunkSize(2).listener(listener).build();
        try (Executor ex = executor(backend)) {
            MapFuture<Integer> f = ex.map(flaky("ok-" + backend, 2), List.of(1, 2, 3, 4), opts);
            assertEquals(List.of(101, 102, 103, 104), f.get(60, TimeUnit.SECONDS));
            JobStats stats = f.stats();
            for (CallStats c : stats.callStats()) {
                assertEquals(2, c.reruns(), c.toString());
                assertEquals(0, c.attempt(), "the call re-ran, not its invocation: " + c);
            }
            assertEquals(8, stats.reruns());
            assertEquals(stats.invocations(), stats.attempts());
            assertTrue(stats.toString().contains("re-runs 8"), stats.toString());
            assertEquals(8, reran.size());
            for (CallEvent e : reran) {
                assertEquals(CallEvent.Kind.RERAN, e.kind());
                assertInstanceOf(java.net.SocketTimeoutException.class, e.error());
            }

            // retries spent: the last exception is the call's failure
            MapFuture<Integer> spent = ex.map(flaky("spent-" + backend, 10), List.of(7),
                    MapOptions.builder().retryOn(IOException.class).retries(2).backoff(Duration.ZERO, Duration.ZERO).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> spent.get(60, TimeUnit.SECONDS));
            assertEquals("run 3 of call 7", e.getCause().getMessage());
            assertEquals(2, spent.stats().callStats().get(0).reruns());

            // a type not listed fails at once
            SerializableFunction<Integer, Integer> state = x -> {
                throw new IllegalStateException("run " + Runs.next("state-" + backend, x));
            };
            MapFuture<Integer> other = ex.map(state, List.of(5), opts);
            ExecutionException o = assertThrows(ExecutionException.class, () -> other.get(60, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, o.getCause());
            assertEquals("run 1", o.getCause().getMessage());
            assertEquals(0, other.stats().callStats().get(0).reruns());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void eachCallsCpuTimeAllocationAndColdStartAreMeasuredOnItsWorker(String backend) throws Exception {
        SerializableFunction<Integer, Integer> spinAndAllocate = x -> {
            // spins for 50 ms of this thread's CPU time (a wall-clock spin gets less CPU on a busy machine)
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuUntil = threads.getCurrentThreadCpuTime() + 50_000_000L;
            long deadline = System.nanoTime() + 5_000_000_000L;
            long n = 0;
            while (threads.getCurrentThreadCpuTime() < cpuUntil && System.nanoTime() < deadline) n++;
            byte[] big = new byte[10 * 1024 * 1024];
            big[x] = (byte) n;
            return big.length;
        };
        try (Executor ex = executor(backend)) {
            MapFuture<Integer> f = ex.map(spinAndAllocate, List.of(0, 1, 2, 3, 4, 5), MapOptions.builder().chunkSize(1).build());
            f.get(120, TimeUnit.SECONDS);
            JobStats stats = f.stats();
            for (CallStats c : stats.callStats()) {
                assertTrue(c.cpuTime().toMillis() > 20, "cpu " + c);
                assertTrue(c.allocatedBytes() >= 10L * 1024 * 1024, "allocated " + c);
            }
            // the first invocation each worker ran is its cold start, and no later one
            Map<String, List<CallStats>> byWorker = stats.callStats().stream().collect(Collectors.groupingBy(CallStats::workerId));
            for (List<CallStats> calls : byWorker.values()) {
                calls.sort(Comparator.comparing(CallStats::started));
                assertTrue(calls.get(0).coldStart(), calls.toString());
                for (CallStats later : calls.subList(1, calls.size())) assertTrue(!later.coldStart(), calls.toString());
            }
            assertEquals(byWorker.size(), stats.coldStarts());
            assertTrue(stats.toString().contains("cold starts " + byWorker.size()), stats.toString());
            // the share of call time spent on CPU depends on what else the machine runs: only its bounds are certain
            assertTrue(stats.cpuShare() > 0 && stats.cpuShare() <= 1.05, stats.toString());

            // a second map on the same workers has no cold start
            MapFuture<Integer> again = ex.map(spinAndAllocate, List.of(0, 1), MapOptions.builder().chunkSize(1).build());
            again.get(120, TimeUnit.SECONDS);
            assertEquals(0, again.stats().coldStarts(), again.stats().toString());
        }
    }
}

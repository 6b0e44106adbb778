package io.jwren.engine;

import io.jwren.SerializableFunction;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls re-run by exception type, with their waits recorded instead of slept; checked exceptions; a call's cost. */
class CallRunnerTest {
    private final List<Long> waits = new ArrayList<>();

    private CallRunner runner(RetryPolicy policy, double random) {
        return new CallRunner(policy, waits::add, () -> random);
    }

    private static final RetryPolicy IO_THREE = new RetryPolicy(List.of(IOException.class.getName()), 3, 100, 250);

    @Test
    void aListedTypeOrASubtypeReRunsTheCallWithDoublingCappedWaits() {
        AtomicInteger runs = new AtomicInteger();
        SerializableFunction<Integer, Integer> flaky = x -> {
            if (runs.incrementAndGet() <= 3) throw new FileNotFoundException("try " + runs.get());
            return x * 2;
        };
        List<CallOutcome> out = new ArrayList<>();
        assertTrue(runner(IO_THREE, 0.999999).run(flaky, List.of(21), 0, true, out::add));
        CallOutcome o = out.get(0);
        assertTrue(o.ok(), String.valueOf(o.error()));
        assertEquals(42, o.value());
        assertEquals(4, runs.get());
        // full jitter at the top of the range: 100, 200, then min(250, 400)
        assertEquals(List.of(100L, 200L, 250L), waits);
        assertEquals(3, o.metrics().reruns().size());
        assertEquals(FileNotFoundException.class.getName(), o.metrics().reruns().get(0).className());
        assertEquals("try 1", o.metrics().reruns().get(0).message());
        assertTrue(o.metrics().coldStart());
    }

    @Test
    void theJitterScalesTheWaitFromZero() {
        assertEquals(0, IO_THREE.delayMs(0, () -> 0.0));
        assertEquals(50, IO_THREE.delayMs(0, () -> 0.5));
        assertEquals(100, IO_THREE.delayMs(1, () -> 0.5));
        assertEquals(125, IO_THREE.delayMs(5, () -> 0.5));
    }

    @Test
    void retriesRunOutAndOtherTypesFailAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        SerializableFunction<Integer, Integer> alwaysIo = x -> {
            runs.incrementAndGet();
            throw new IOException("down");
        };
        List<CallOutcome> spent = new ArrayList<>();
        assertTrue(runner(IO_THREE, 0.5).run(alwaysIo, List.of(1), 7, false, spent::add));
        assertEquals(7, spent.get(0).index());
        assertEquals(IOException.class.getName(), spent.get(0).error().className());
        assertEquals(3, spent.get(0).metrics().reruns().size());
        assertEquals(4, runs.get());
        assertEquals(3, waits.size());

        runs.set(0);
        waits.clear();
        SerializableFunction<Integer, Integer> state = x -> {
            runs.incrementAndGet();
            throw new IllegalStateException("not listed");
        };
        List<CallOutcome> out = new ArrayList<>();
        runner(IO_THREE, 0.5).run(state, List.of(1), 0, false, out::add);
        assertEquals(1, runs.get());
        assertTrue(waits.isEmpty());
        assertEquals(IllegalStateException.class.getName(), out.get(0).error().className());
        assertTrue(out.get(0).metrics().reruns().isEmpty());
        assertFalse(out.get(0).metrics().coldStart());
    }

    @Test
    void anInterruptDuringTheWaitStopsTheRun() {
        CallRunner r = new CallRunner(IO_THREE, ms -> {
            throw new InterruptedException();
        }, () -> 0.5);
        SerializableFunction<Integer, Integer> alwaysIo = x -> {
            throw new IOException("down");
        };
        List<CallOutcome> out = new ArrayList<>();
        assertFalse(r.run(alwaysIo, List.of(1, 2), 0, false, out::add));
        assertTrue(out.isEmpty());
        assertTrue(Thread.interrupted());
    }

    @Test
    void theCheckedExceptionItselfIsTheFailureWhileApplyWrapsIt() {
        SerializableFunction<String, Integer> reads = s -> {
            throw new IOException("cannot read " + s);
        };
        java.util.function.Function<Object, Object> plain = o -> reads.apply((String) o);
        List<CallOutcome> out = CallRunner.runAll(plain, List.of("a"), 0);
        // through a plain Function the wrapper shows: jwren calls call() on its own functions
        assertEquals(UndeclaredThrowableException.class.getName(), out.get(0).error().className());
        List<CallOutcome> direct = new ArrayList<>();
        CallRunner.run(reads, List.of("a"), 0, direct::add);
        assertEquals(IOException.class.getName(), direct.get(0).error().className());
        assertEquals("cannot read a", direct.get(0).error().message());

        UndeclaredThrowableException wrapped = assertThrows(UndeclaredThrowableException.class,
                () -> List.of("b").stream().map(reads).toList());
        assertInstanceOf(IOException.class, wrapped.getCause());
        SerializableFunction<String, Integer> unchecked = s -> {
            throw new IllegalArgumentException(s);
        };
        assertThrows(IllegalArgumentException.class, () -> unchecked.apply("c"));
        SerializableFunction<Integer, Integer> twice = x -> x * 2;
        assertEquals(List.of(2, 4), List.of(1, 2).stream().map(twice).toList());
    }

    @Test
    void aCallsCpuTimeAndAllocationAreMeasured() {
        SerializableFunction<Integer, Integer> spinAndAllocate = x -> {
            // spins for 50 ms of this thread's CPU time (a wall-clock spin gets less CPU on a busy machine)
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuUntil = threads.getCurrentThreadCpuTime() + 50_000_000L;
            long deadline = System.nanoTime() + 5_000_000_000L;
            long n = 0;
            while (threads.getCurrentThreadCpuTime() < cpuUntil && System.nanoTime() < deadline) n++;
            byte[] big = new byte[10 * 1024 * 1024];
            return big.length + (int) (n & 1);
        };
        List<CallOutcome> out = new ArrayList<>();
        CallRunner.run(spinAndAllocate, List.of(1), 0, out::add);
        assertTrue(out.get(0).metrics().cpuNanos() > 20_000_000L, "cpu " + out.get(0).metrics().cpuNanos());
        assertTrue(out.get(0).metrics().allocatedBytes() >= 10L * 1024 * 1024, "allocated " + out.get(0).metrics().allocatedBytes());
    }
}

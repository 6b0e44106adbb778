package io.jwren.engine;

import io.jwren.SerializableFunction;
import io.jwren.engine.protocol.CallMetrics;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.ErrorInfo;
import io.jwren.engine.protocol.RetryPolicy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Runs calls one after another on the current thread and records each outcome with its timing and its cost (thread
 * CPU time and allocated bytes, from the JVM's {@link ThreadMXBean}). Shared by the in-process backend and the
 * workers, so a call behaves the same everywhere. A call that throws a type of its {@link RetryPolicy} is run again
 * here, after a wait taken from the policy, with the {@link Sleeper} and the random source this runner was given:
 * tests give their own, as Caffeine's {@code Ticker} lets a cache be tested without waiting.
 */
public final class CallRunner {
    private static final CallRunner PLAIN = new CallRunner(RetryPolicy.NONE, Sleeper.SYSTEM, CallRunner::uniform);

    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    /**
     * @param retry   which calls run again
     * @param sleeper waits before each re-run
     * @param random  uniform values in [0, 1) for the jitter
     */
    public CallRunner(RetryPolicy retry, Sleeper sleeper, DoubleSupplier random) {
        this.retry = retry;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** A runner with the system's sleep and randomness. */
    public static CallRunner of(RetryPolicy retry) {
        return new CallRunner(retry, Sleeper.SYSTEM, CallRunner::uniform);
    }

    private static double uniform() {
        return ThreadLocalRandom.current().nextDouble();
    }

    /** Receives each outcome as soon as its call ends. */
    public interface OutcomeSink {
        void accept(CallOutcome outcome);
    }

    /** Waits before a re-run. */
    public interface Sleeper {
        /** {@link Thread#sleep(long)}. */
        Sleeper SYSTEM = Thread::sleep;

        void sleep(long ms) throws InterruptedException;
    }

    /** Runs without re-runs; see {@link #run(Function, List, int, boolean, OutcomeSink)}. */
    @SuppressWarnings("rawtypes")
    public static boolean run(Function fn, List<?> inputs, int firstCall, OutcomeSink sink) {
        return PLAIN.run(fn, inputs, firstCall, false, sink);
    }

    /**
     * Calls {@code fn} on each input: {@link SerializableFunction#call} for jwren's functions, so a checked exception
     * is the call's failure as it was thrown.
     *
     * @param coldStart whether these calls are the first invocation their worker runs
     * @return false if interrupted before every call ran
     */
    @SuppressWarnings("rawtypes")
    public boolean run(Function fn, List<?> inputs, int firstCall, boolean coldStart, OutcomeSink sink) {
        for (int i = 0; i < inputs.size(); i++) {
            if (Thread.currentThread().isInterrupted()) return false;
            CallOutcome outcome = runOne(fn, inputs.get(i), firstCall + i, coldStart);
            if (outcome == null) return false;
            sink.accept(outcome);
        }
        return true;
    }

    /** One call, re-run as the policy says; null if interrupted while waiting to re-run it. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private CallOutcome runOne(Function fn, Object input, int index, boolean coldStart) {
        long cpu0 = ThreadCost.cpuNanos();
        long alloc0 = ThreadCost.allocatedBytes();
        long start = System.currentTimeMillis();
        List<ErrorInfo> reruns = new ArrayList<>(0);
        CallOutcome outcome;
        while (true) {
            try {
                Object value = fn instanceof SerializableFunction sf ? sf.call(input) : fn.apply(input);
                outcome = CallOutcome.success(index, value, start, System.currentTimeMillis());
                break;
            } catch (Throwable t) {
                if (!retry.reruns(t, reruns.size())) {
                    outcome = CallOutcome.failure(index, t, start, System.currentTimeMillis());
                    break;
                }
                try {
                    sleeper.sleep(retry.delayMs(reruns.size(), random));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                reruns.add(ErrorInfo.of(t));
            }
        }
        long cpu1 = ThreadCost.cpuNanos();
        long alloc1 = ThreadCost.allocatedBytes();
        return outcome.withMetrics(new CallMetrics(cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0,
                alloc0 < 0 || alloc1 < 0 ? -1 : alloc1 - alloc0, coldStart, reruns));
    }

    /** Convenience: collects the outcomes in a list. */
    public static List<CallOutcome> runAll(Function<Object, Object> fn, List<?> inputs, int firstCall) {
        List<CallOutcome> out = new ArrayList<>(inputs.size());
        run(fn, inputs, firstCall, out::add);
        return out;
    }

    /** The current thread's CPU time and allocation, or -1 where the JVM cannot tell. */
    static final class ThreadCost {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final boolean CPU = cpuSupported();
        private static final boolean ALLOCATION = allocationSupported();

        private ThreadCost() {}

        private static boolean cpuSupported() {
            try {
                if (!THREADS.isCurrentThreadCpuTimeSupported()) return false;
                if (!THREADS.isThreadCpuTimeEnabled()) THREADS.setThreadCpuTimeEnabled(true);
                return THREADS.isThreadCpuTimeEnabled();
            } catch (UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }

        private static boolean allocationSupported() {
            try {
                if (!(THREADS instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported())
                    return false;
                if (!sun.isThreadAllocatedMemoryEnabled()) sun.setThreadAllocatedMemoryEnabled(true);
                return sun.isThreadAllocatedMemoryEnabled();
            } catch (UnsupportedOperationException | SecurityException | LinkageError e) {
                return false; // a JVM without com.sun.management
            }
        }

        static long cpuNanos() {
            return CPU ? THREADS.getCurrentThreadCpuTime() : -1;
        }

        static long allocatedBytes() {
            return ALLOCATION ? ((com.sun.management.ThreadMXBean) THREADS).getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
        }
    }
}

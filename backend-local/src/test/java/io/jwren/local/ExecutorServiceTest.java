package io.jwren.local;

import io.jwren.Executor;
import io.jwren.SerializableCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Executor#asExecutorService()} on threads and on worker JVMs: a JDK program unchanged, and the JDK's contract. */
class ExecutorServiceTest {
    @TempDir
    Path dir;
    @TempDir
    Path signals;
    private final List<Executor> executors = new ArrayList<>();

    /** A program written for the JDK's ExecutorService, with nothing of jwren in it. */
    static final class PrimeReport {
        /** A task as existing code writes one: a named Callable that is also Serializable. */
        record CountPrimes(long from, long to) implements Callable<Long>, Serializable {
            @Override
            public Long call() {
                long n = 0;
                for (long x = Math.max(2, from); x < to; x++) {
                    boolean prime = true;
                    for (long d = 2; d * d <= x && prime; d++) prime = x % d != 0;
                    if (prime) n++;
                }
                return n;
            }
        }

        static String run(ExecutorService pool) throws Exception {
            List<Callable<Long>> ranges = new ArrayList<>();
            for (long from = 0; from < 100_000; from += 10_000) ranges.add(new CountPrimes(from, from + 10_000));
            long total = 0;
            for (Future<Long> f : pool.invokeAll(ranges)) total += f.get();
            Future<Long> tail = pool.submit(new CountPrimes(100_000, 101_000));
            String report = "primes below 100000: " + total + ", in [100000, 101000): " + tail.get();
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) throw new IllegalStateException("pool did not terminate");
            return report;
        }
    }

    private ExecutorService pool(String backend) {
        Executor ex = Executor.builder().backend(backend).storage(dir.toUri().toString()).property("jwren.workers", "2").build();
        executors.add(ex);
        return ex.asExecutorService();
    }

    /** A task that waits until the test creates {@code signal}, then returns {@code result}. */
    private Callable<String> waitingFor(String signal, String result) {
        String s = signals.toString();
        return (Callable<String> & Serializable) () -> {
            FileSignals.waitFor(s, signal);
            return result;
        };
    }

    @AfterEach
    void release() throws IOException {
        // calls left waiting (cancelled ones included) see this and end
        Files.writeString(signals.resolve("never"), "end");
        executors.forEach(Executor::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aJdkProgramRunsUnchangedAndGivesWhatAThreadPoolGives(String backend) throws Exception {
        String onThreadPool = PrimeReport.run(Executors.newFixedThreadPool(4));
        assertEquals("primes below 100000: 9592, in [100000, 101000): 81", onThreadPool);
        ExecutorService pool = pool(backend);
        assertEquals(onThreadPool, PrimeReport.run(pool));
        assertTrue(pool.isTerminated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aTaskThatIsNotSerializableIsRefusedSayingHowToFixIt(String backend) throws Exception {
        ExecutorService pool = pool(backend);
        Callable<Integer> plain = () -> 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.submit(plain));
        assertTrue(e.getMessage().contains("not Serializable") && e.getMessage().contains("(Callable<T> & Serializable) () -> ...")
                && e.getMessage().contains("SerializableCallable"), e.getMessage());
        Runnable plainRunnable = () -> {};
        e = assertThrows(IllegalArgumentException.class, () -> pool.execute(plainRunnable));
        assertTrue(e.getMessage().contains("(Runnable & Serializable) () -> ..."), e.getMessage());
        SerializableCallable<Integer> fine = () -> 2;
        e = assertThrows(IllegalArgumentException.class, () -> pool.invokeAll(List.of(fine, plain)));
        assertTrue(e.getMessage().contains("not Serializable"), e.getMessage());
        assertEquals(3, pool.submit((Callable<Integer> & Serializable) () -> 3).get(1, TimeUnit.MINUTES));
        assertEquals(2, pool.submit(fine).get(1, TimeUnit.MINUTES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void shutdownRefusesNewTasksAndLetsRunningOnesFinish(String backend) throws Exception {
        ExecutorService pool = pool(backend);
        String s = signals.toString();
        Future<String> running = pool.submit(waitingFor("go", "finished"));
        Future<?> runnable = pool.submit((Runnable & Serializable) () -> FileSignals.waitFor(s, "go"));
        pool.shutdown();
        assertTrue(pool.isShutdown());
        assertFalse(pool.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> pool.submit((Callable<Integer> & Serializable) () -> 1));
        assertThrows(RejectedExecutionException.class, () -> pool.execute((Runnable & Serializable) () -> {}));
        assertFalse(pool.awaitTermination(50, TimeUnit.MILLISECONDS), "tasks are still waiting for the signal");
        FileSignals.create(signals, "go");
        assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES));
        assertTrue(pool.isTerminated());
        assertEquals("finished", running.get());
        assertEquals(null, runnable.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void shutdownNowCancelsWhatRunsAndClosingTheExecutorShutsItDown(String backend) throws Exception {
        ExecutorService pool = pool(backend);
        Future<String> stuck = pool.submit(waitingFor("never", "too late"));
        assertEquals(List.of(), pool.shutdownNow(), "every task went to the backend when submitted");
        assertTrue(stuck.isCancelled());
        assertThrows(CancellationException.class, stuck::get);
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        assertTrue(pool.isTerminated());

        Executor other = Executor.builder().backend(backend).storage(dir.toUri().toString()).build();
        ExecutorService second = other.asExecutorService();
        assertTrue(second == other.asExecutorService(), "one service per executor");
        other.close();
        assertTrue(second.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> second.submit((Callable<Integer> & Serializable) () -> 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void invokeAllIsOneMapAndInvokeAnyTakesTheFirstSuccessAndCancelsTheRest(String backend) throws Exception {
        ExecutorService pool = pool(backend);
        List<Callable<String>> tasks = List.of(
                (Callable<String> & Serializable) () -> { throw new IllegalStateException("first fails"); },
                waitingFor("never", "blocked"),
                (Callable<String> & Serializable) () -> "fast");
        assertEquals("fast", pool.invokeAny(tasks, 2, TimeUnit.MINUTES));
        // the blocked task was cancelled: nothing is left unfinished
        pool.shutdown();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));

        ExecutorService again = pool(backend);
        List<Callable<String>> failing = List.of(
                (Callable<String> & Serializable) () -> { throw new IllegalStateException("one fails"); },
                (Callable<String> & Serializable) () -> { throw new IllegalStateException("so does the other"); });
        ExecutionException all = assertThrows(ExecutionException.class, () -> again.invokeAny(failing));
        assertInstanceOf(IllegalStateException.class, all.getCause());

        List<Future<String>> done = again.invokeAll(List.of((Callable<String> & Serializable) () -> "a",
                (Callable<String> & Serializable) () -> { throw new IllegalArgumentException("b fails"); }));
        assertTrue(done.stream().allMatch(Future::isDone));
        assertEquals("a", done.get(0).get());
        ExecutionException b = assertThrows(ExecutionException.class, () -> done.get(1).get());
        assertEquals("b fails", b.getCause().getMessage());
        // a checked exception reaches get() as itself, as from a JDK pool
        List<Future<String>> checked = again.invokeAll(List.of(
                (Callable<String> & Serializable) () -> { throw new java.io.FileNotFoundException("no such input"); }));
        ExecutionException io = assertThrows(ExecutionException.class, () -> checked.get(0).get());
        assertInstanceOf(java.io.FileNotFoundException.class, io.getCause());
        assertEquals("no such input", io.getCause().getMessage());
        assertEquals(1, done.stream().map(f -> ((io.jwren.CallFuture<?>) f).jobId()).distinct().count(), "invokeAll is one map");

        List<Future<String>> late = again.invokeAll(List.of((Callable<String> & Serializable) () -> "quick",
                waitingFor("never", "slow")),
                200, TimeUnit.MILLISECONDS);
        assertTrue(late.get(1).isCancelled(), "what is not done by the deadline is cancelled");
    }
}

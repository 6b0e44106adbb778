package io.jwren.local;

import io.jwren.Await;
import io.jwren.AwaitResult;
import io.jwren.CallFuture;
import io.jwren.CallStats;
import io.jwren.CallTimeoutException;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.NotShippableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's behaviour on the in-process backend. */
class ThreadsBackendTest {
    // In-process calls run in this JVM, so a static latch lets a test hold a call where it wants it.
    static volatile CountDownLatch gate;

    /** Blocks the calling call until the test opens the gate; an interrupt (timeout, cancel) ends it. */
    static void hold() {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @TempDir
    static Path unusedStorage;
    static Executor ex;

    @BeforeAll
    static void start() {
        ex = Executor.builder().backend("threads").property("jwren.workers", "4")
                .storage(unusedStorage.resolve("never-created").toUri().toString()).build();
    }

    @AfterAll
    static void stop() {
        ex.close();
        assertFalse(Files.exists(unusedStorage.resolve("never-created")), "the threads backend must not touch storage");
    }

    @Test
    void resultsComeBackInInputOrderWithStats() throws Exception {
        List<Integer> in = IntStream.range(0, 1000).boxed().toList();
        MapFuture<String> f = ex.map((Integer x) -> "v" + x, in, MapOptions.builder().chunkSize(7).build());
        List<String> out = f.get(30, TimeUnit.SECONDS);
        assertEquals(in.stream().map(x -> "v" + x).toList(), out);
        assertEquals(1000, f.calls().size());
        CallStats s = f.calls().get(999).stats();
        assertNotNull(s);
        assertEquals(999, s.index());
        assertTrue(s.workerId().startsWith("jwren-" + ex.id()), s.workerId());
        assertFalse(s.finished().isBefore(s.started()));
        assertTrue(f.status().finished());
        assertEquals(1000, f.status().succeeded());
    }

    @Test
    void asCompletedYieldsCallsAsTheyFinish() throws Exception {
        gate = new CountDownLatch(1);
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 0) hold();
            return x;
        }, List.of(0, 1, 2), MapOptions.builder().chunkSize(1).build());
        List<Integer> order = new ArrayList<>();
        for (CallFuture<Integer> c : f.asCompleted()) {
            order.add(c.index());
            if (order.size() == 2) gate.countDown(); // call 0 may finish only after two others did
        }
        assertEquals(3, order.size());
        assertEquals(0, order.get(2));
        assertEquals(List.of(0, 1, 2), f.get());
    }

    @Test
    void submitRunsOneTaskAndUnwrapsCheckedExceptions() throws Exception {
        assertEquals(42L, ex.submit(() -> 42L).get());
        CallFuture<String> failing = ex.submit(() -> {
            throw new IOException("disk gone");
        });
        ExecutionException e = assertThrows(ExecutionException.class, failing::get);
        IOException cause = assertInstanceOf(IOException.class, e.getCause());
        assertEquals("disk gone", cause.getMessage());
    }

    @Test
    void mapReduceFoldsInInputOrder() throws Exception {
        CallFuture<String> joined = ex.mapReduce((String s) -> s.toUpperCase(), List.of("a", "b", "c", "d"), (x, y) -> x + y,
                MapOptions.builder().chunkSize(1).build());
        assertEquals("ABCD", joined.get());
        CallFuture<Long> sum = ex.mapReduce((Integer x) -> (long) x, IntStream.rangeClosed(1, 100).boxed().toList(), Long::sum);
        assertEquals(5050L, sum.get());
    }

    @Test
    void userExceptionsKeepTypeMessageStackAndIndex() {
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 3 || x == 5) throw new IllegalArgumentException("bad input " + x);
            return x;
        }, List.of(0, 1, 2, 3, 4, 5), MapOptions.builder().chunkSize(2).build());
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("bad input 3", cause.getMessage(), "get() reports the failed call with the lowest index");
        assertTrue(e.getMessage().contains("call 3 of job " + f.jobId()), e.getMessage());
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(el -> el.getMethodName().contains("lambda$userExceptions")),
                "the stack trace is the one from the call");
        assertEquals(2, f.status().failed());
        assertEquals(4, f.status().succeeded());
    }

    @Test
    void awaitAnyAllAndFirstException() throws Exception {
        gate = new CountDownLatch(1);
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 0) hold();
            if (x == 2) throw new IllegalStateException("two");
            return x;
        }, List.of(0, 1, 2), MapOptions.builder().chunkSize(1).build());
        List<CallFuture<Integer>> calls = f.calls();
        AwaitResult<CallFuture<Integer>> any = ex.await(calls, Await.ANY, Duration.ofSeconds(30));
        assertFalse(any.done().isEmpty());
        AwaitResult<CallFuture<Integer>> firstEx = ex.await(calls, Await.FIRST_EXCEPTION, Duration.ofSeconds(30));
        assertTrue(firstEx.done().contains(calls.get(2)));
        assertTrue(firstEx.notDone().contains(calls.get(0)));
        // FIRST_EXCEPTION may return before call 1 is done (a slow thread): wait for it, so that call 0, held
        // at the gate, is the only call the short await below can still find undone.
        assertEquals(1, calls.get(1).get(30, TimeUnit.SECONDS));
        AwaitResult<CallFuture<Integer>> timedOut = ex.await(calls, Await.ALL, Duration.ofMillis(50));
        assertEquals(List.of(calls.get(0)), timedOut.notDone());
        gate.countDown();
        AwaitResult<CallFuture<Integer>> all = ex.await(calls, Await.ALL, Duration.ofSeconds(30));
        assertTrue(all.allDone());
    }

    @Test
    void cancellingACallsCompletableFutureCancelsTheCallAndCompletingItDoesNot() throws Exception {
        gate = new CountDownLatch(1);
        MapFuture<Integer> f = ex.map((Integer x) -> {
            hold();
            return x;
        }, List.of(1, 2), MapOptions.builder().chunkSize(1).build());
        java.util.concurrent.CompletableFuture<Integer> first = f.calls().get(0).toCompletableFuture();
        assertTrue(first.cancel(true));
        assertTrue(f.calls().get(0).isCancelled(), "the call itself is cancelled");
        java.util.concurrent.CompletableFuture<Integer> second = f.calls().get(1).toCompletableFuture();
        assertTrue(second.complete(99));
        assertFalse(f.calls().get(1).isDone(), "completing a copy leaves the call running");
        gate.countDown();
        assertEquals(2, f.calls().get(1).get(30, TimeUnit.SECONDS));
    }

    @Test
    void cancellingAMapReduceCancelsItsCalls() throws Exception {
        gate = new CountDownLatch(1);
        CallFuture<Long> sum = ex.mapReduce((Integer x) -> {
            hold();
            return (long) x;
        }, IntStream.range(0, 20).boxed().toList(), Long::sum, MapOptions.builder().chunkSize(1).build());
        assertTrue(sum.cancel(true));
        try {
            // every worker thread was held by the reduce's calls: only their cancellation frees one for this map
            assertEquals(List.of(2), ex.map((Integer x) -> x * 2, List.of(1)).get(30, TimeUnit.SECONDS));
        } finally {
            gate.countDown();
        }
    }

    @Test
    void cancelStopsAMapWithoutHanging() throws Exception {
        gate = new CountDownLatch(1);
        MapFuture<Integer> f = ex.map((Integer x) -> {
            hold();
            return x;
        }, IntStream.range(0, 20).boxed().toList(), MapOptions.builder().chunkSize(1).build());
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.calls().stream().allMatch(CallFuture::isCancelled));
        assertTrue(f.isDone());
        gate.countDown();
        // the pool is still usable
        assertEquals(List.of(2), ex.map((Integer x) -> x * 2, List.of(1)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void aCallPastItsTimeoutIsRetriedThenFailsWithCallTimeoutException() {
        gate = new CountDownLatch(1); // never opened: the call blocks until interrupted, only its timeout ends it
        // Call 0 must finish within its own budget (timeout + 100 ms grace) even on a loaded machine: 2 s, not 200 ms.
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 1) hold();
            return x;
        }, List.of(0, 1), MapOptions.builder().chunkSize(1).timeout(Duration.ofSeconds(2)).retries(1).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        CallTimeoutException cause = assertInstanceOf(CallTimeoutException.class, e.getCause());
        assertEquals(1, cause.callIndex());
        assertEquals(2, cause.attempts());
        assertEquals(0, f.calls().get(0).toCompletableFuture().join());
    }

    @Test
    void aCallThatReturnsWhenInterruptedByItsTimeoutStillTimesOut() {
        MapFuture<Integer> f = ex.map((Integer x) -> {
            while (!Thread.currentThread().isInterrupted()) java.util.concurrent.locks.LockSupport.park();
            return x; // after the timeout: too late to count
        }, List.of(7), MapOptions.builder().timeout(Duration.ofMillis(200)).retries(0).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertInstanceOf(CallTimeoutException.class, e.getCause());
    }

    @Test
    void completingTheCompletableFutureOfACallDoesNotChangeTheMap() throws Exception {
        MapFuture<Integer> f = ex.map((Integer x) -> x * 10, List.of(1, 2));
        f.calls().get(0).toCompletableFuture().complete(-1);
        f.calls().get(1).toCompletableFuture().obtrudeValue(-2);
        assertEquals(List.of(10, 20), f.get(30, TimeUnit.SECONDS));
        assertEquals(10, f.calls().get(0).get());
    }

    @Test
    void capturedStateIsCopiedAsOnARemoteWorker() throws Exception {
        int[] counter = {0};
        ex.map((Integer x) -> ++counter[0], List.of(1, 2, 3)).get();
        assertEquals(0, counter[0], "the threads backend runs a deserialized copy of the closure");
    }

    @Test
    void emptyInputsGiveAnEmptyResult() throws Exception {
        assertEquals(List.of(), ex.map((Integer x) -> x, List.<Integer>of()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCaptureThatCannotShipFailsAtMapNotOnTheWorker() {
        Thread t = new Thread(() -> { });
        NotShippableException e = assertThrows(NotShippableException.class, () -> ex.map((Integer x) -> x + t.getName().length(), List.of(1)));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void anUnknownBackendSaysWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Executor.builder().backend("nope").build());
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("threads")
                && e.getMessage().contains("processes"), e.getMessage());
    }
}

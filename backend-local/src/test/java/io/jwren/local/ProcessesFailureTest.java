package io.jwren.local;

import io.jwren.CallTimeoutException;
import io.jwren.Executor;
import io.jwren.JWrenException;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.ProtocolException;
import io.jwren.RemoteCallException;
import io.jwren.WorkerLostException;
import io.jwren.engine.protocol.JobKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures on worker JVMs: each reaches get() clearly, nothing hangs, nothing finished is lost. */
class ProcessesFailureTest {
    @TempDir
    static Path storageDir;
    static Executor ex;

    @BeforeAll
    static void start() {
        ex = Executor.builder().backend("processes").storage(storageDir.toUri().toString())
                .property("jwren.workers", "2").property("jwren.timeout-grace", "500ms").build();
    }

    @AfterAll
    static void stop() {
        ex.close();
    }

    /** A user exception type the worker has only from the shipped bundle. */
    static final class SimulationDiverged extends RuntimeException {
        final int step;

        SimulationDiverged(String message, int step) {
            super(message);
            this.step = step;
        }
    }

    /** An exception that cannot be Java-serialized: it comes back as RemoteCallException. */
    static final class HoldsAThread extends RuntimeException {
        final Thread thread = new Thread(() -> { });

        HoldsAThread(String message) {
            super(message);
        }
    }

    static int simulate(int x) {
        if (x == 2) throw new SimulationDiverged("diverged at dt=" + x, 17);
        return x * 3;
    }

    @Test
    void aRemoteExceptionKeepsItsTypeMessageStackTraceAndCallIndex() throws Exception {
        MapFuture<Integer> f = ex.map(ProcessesFailureTest::simulate, List.of(0, 1, 2, 3), MapOptions.builder().chunkSize(2).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        SimulationDiverged cause = assertInstanceOf(SimulationDiverged.class, e.getCause());
        assertEquals("diverged at dt=2", cause.getMessage());
        assertEquals(17, cause.step);
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(el -> el.getMethodName().equals("simulate")),
                Arrays.toString(cause.getStackTrace()));
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(el -> el.getClassName().equals("io.jwren.engine.worker.InvocationRunner")),
                "the trace is the worker's");
        assertTrue(e.getMessage().contains("call 2 of job " + f.jobId()) && e.getMessage().contains(ex.id() + "-p"), e.getMessage());
        assertEquals(9, f.calls().get(3).get(), "other calls are not lost");
    }

    @Test
    void anExceptionThatCannotTravelArrivesAsRemoteCallException() {
        MapFuture<Integer> f = ex.map((Integer x) -> {
            throw new HoldsAThread("thread " + x);
        }, List.of(5));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        RemoteCallException r = assertInstanceOf(RemoteCallException.class, e.getCause());
        assertEquals(HoldsAThread.class.getName(), r.remoteClassName());
        assertEquals("thread 5", r.remoteMessage());
        assertEquals(0, r.callIndex());
        assertTrue(r.getStackTrace().length > 0 && r.getStackTrace()[0].getClassName().startsWith(ProcessesFailureTest.class.getName()),
                Arrays.toString(r.getStackTrace()));
    }

    private static int blockUntilGo(String dir, int x) {
        FileSignals.announce(dir, x);
        FileSignals.waitFor(dir, "go");
        return x * x;
    }

    @Test
    void aWorkerKilledMidMapIsRetriedAndItsCallSucceeds(@TempDir Path signals) throws Exception {
        String dir = signals.toString();
        MapFuture<Integer> f = ex.map((Integer x) -> x == 1 ? blockUntilGo(dir, x) : x * x, List.of(0, 1, 2, 3),
                MapOptions.builder().chunkSize(1).retries(2).build());
        Path started = FileSignals.awaitFile(signals, "started-1", Duration.ofSeconds(60));
        long pid = Long.parseLong(Files.readString(started));
        Files.delete(started);
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        FileSignals.awaitFile(signals, "started-1", Duration.ofSeconds(60)); // the retry has begun elsewhere
        FileSignals.create(signals, "go");
        assertEquals(List.of(0, 1, 4, 9), f.get(60, TimeUnit.SECONDS));
        assertEquals(1, f.calls().get(1).stats().attempt());
    }

    @Test
    void aWorkerKilledOnEveryAttemptFailsWithWorkerLostException(@TempDir Path signals) throws Exception {
        String dir = signals.toString();
        MapFuture<Integer> f = ex.map((Integer x) -> x == 1 ? blockUntilGo(dir, x) : x * x, List.of(0, 1, 2),
                MapOptions.builder().chunkSize(1).retries(1).build());
        for (int attempt = 0; attempt < 2; attempt++) {
            Path started = FileSignals.awaitFile(signals, "started-1", Duration.ofSeconds(60));
            long pid = Long.parseLong(Files.readString(started));
            Files.delete(started);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
        assertEquals(1, lost.callIndex());
        assertEquals(2, lost.attempts());
        assertTrue(lost.getMessage().contains("killed by signal 9"), lost.getMessage());
        assertEquals(0, f.calls().get(0).get());
        assertEquals(4, f.calls().get(2).get(), "calls that finished are not lost");
    }

    /**
     * Calls 0 and 2 must finish within the timeout + 500 ms of grace from their worker's STARTED, in a worker JVM
     * that may be cold, while call 1 spins on a core: 5 s rather than 1 s, so that a loaded machine does not
     * time them out too (twice, and the map fails on call 0 instead of call 1).
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aCallThatNeverReturnsTimesOutOnEveryAttemptThenFails() throws Exception {
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 1) {
                long spins = 0;
                while (spins >= 0) spins++; // ignores interrupts: only killing the JVM stops it
            }
            return x;
        }, List.of(0, 1, 2), MapOptions.builder().chunkSize(1).timeout(TIMEOUT).retries(1).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(120, TimeUnit.SECONDS));
        CallTimeoutException t = assertInstanceOf(CallTimeoutException.class, e.getCause());
        assertEquals(1, t.callIndex());
        assertEquals(2, t.attempts());
        assertEquals(TIMEOUT, t.timeout());
        assertEquals(2, f.calls().get(2).get());
        // the killed workers were replaced
        assertEquals(List.of(10, 20), ex.map((Integer x) -> x * 10, List.of(1, 2)).get(60, TimeUnit.SECONDS));
    }

    @Test
    void objectsThatGoMissingOrCorruptMidJobAreNamedAndFinishedCallsKept(@TempDir Path signals) throws Exception {
        String dir = signals.toString();
        // every object in storage, where they can be spoiled: no inline job
        try (Executor one = Executor.builder().backend("processes").storage(storageDir.toUri().toString())
                .property("jwren.workers", "1").property("jwren.processes.inline-limit", "0").build()) {
            MapFuture<Integer> f = one.map((Integer x) -> x == 0 ? blockUntilGo(dir, 7) : x, List.of(0, 1, 2),
                    MapOptions.builder().chunkSize(1).retries(0).build());
            FileSignals.awaitFile(signals, "started-7", Duration.ofSeconds(60));
            // while the only worker is busy with call 0: spoil what calls 1 and 2 will meet
            Path job = storageDir.resolve(JobKeys.job(f.jobId()));
            Files.createDirectories(job.resolve("results"));
            Files.write(storageDir.resolve(JobKeys.result(f.jobId(), 1)), new byte[] {0x4a, 0x57, 0x52, 0x31, 9, 9});
            Files.delete(storageDir.resolve(JobKeys.inputs(f.jobId())));
            FileSignals.create(signals, "go");

            ExecutionException e1 = assertThrows(ExecutionException.class, () -> f.calls().get(1).get(60, TimeUnit.SECONDS));
            ProtocolException p1 = assertInstanceOf(ProtocolException.class, e1.getCause());
            assertEquals(JobKeys.result(f.jobId(), 1), p1.key());
            assertTrue(p1.getMessage().contains("failed its integrity check"), p1.getMessage()); // refused before decoding
            ExecutionException e2 = assertThrows(ExecutionException.class, () -> f.calls().get(2).get(60, TimeUnit.SECONDS));
            ProtocolException p2 = assertInstanceOf(ProtocolException.class, e2.getCause());
            assertEquals(JobKeys.inputs(f.jobId()), p2.key());
            assertTrue(p2.getMessage().contains("missing"), p2.getMessage());
            assertEquals(49, f.calls().get(0).get(), "the call that finished is kept");
        }
    }

    @Test
    void workersThatCannotStartFailTheMapInsteadOfHanging() {
        try (Executor broken = Executor.builder().backend("processes").storage(storageDir.toUri().toString())
                .property("jwren.processes.java-home", "/nonexistent/jdk").build()) {
            JWrenException e = assertThrows(JWrenException.class, () -> broken.map((Integer x) -> x, List.of(1)));
            assertTrue(e.getMessage().contains("/nonexistent/jdk/bin/java"), e.getMessage());
        }
    }
}

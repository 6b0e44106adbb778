package io.jwren.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.CallTimeoutException;
import io.jwren.JobStatus;
import io.jwren.Speculation;
import io.jwren.StorageAccessDeniedException;
import io.jwren.StorageException;
import io.jwren.WorkerLostException;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.spi.Invocation;
import io.jwren.spi.Storage;
import io.jwren.storage.EmbeddedStorageProviders;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine's decisions on timeouts, losses, speculative copies, result polling and cancel, against a
 * backend that runs nothing and a clock that moves only when the test moves it: nothing here sleeps.
 */
class MapJobTest {
    private static final long START = 1_700_000_000_000L;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final FakeEngineTime time = new FakeEngineTime(START);
    private final String jobId = "job-" + UUID.randomUUID().toString().substring(0, 8);
    private final Storage storage = new EmbeddedStorageProviders.Memory()
            .open(URI.create("mem://mapjob-" + UUID.randomUUID()), null);
    private RecordingBackend backend;

    /** A storage map of {@code invocations} × {@code callsEach} calls, started; the executor's finish hook included. */
    private MapJob started(int invocations, int callsEach, int retries, Duration callTimeout, Speculation speculation,
                           boolean reportsCompletion, Storage store) {
        backend = new RecordingBackend(reportsCompletion);
        List<Invocation> invs = new ArrayList<>();
        for (int n = 0; n < invocations; n++) invs.add(new Invocation(jobId, n, n * callsEach, callsEach, 0, -1, -1));
        JobPlan plan = new JobPlan(jobId, invocations * callsEach, callsEach, invs, callTimeout, GRACE, retries, 1024,
                speculation);
        MapJob job = new MapJob(plan, backend, store, time, null, null, getClass().getClassLoader(),
                () -> backend.jobFinished(jobId));
        job.start();
        return job;
    }

    /** A map on a backend blind to completion (the engine lists results), retries = 2, calls that never time out. */
    private MapJob startedBlind(int invocations, int callsEach, Storage store) {
        return started(invocations, callsEach, 2, Duration.ofMinutes(10), Speculation.OFF, false, store);
    }

    private MapJob started(int invocations, int callsEach, int retries) {
        return started(invocations, callsEach, retries, CALL_TIMEOUT, Speculation.OFF, true, storage);
    }

    /** Writes the result object of {@code inv} as a worker does: each call's value is "call i by attempt a". */
    private void workerWritesResult(Invocation inv) {
        Kryo kryo = KryoFactory.newShippingKryo(getClass().getClassLoader());
        List<CallOutcome> outcomes = new ArrayList<>();
        for (int i = inv.firstCall(); i < inv.firstCall() + inv.callCount(); i++) {
            Output out = new Output(64, -1);
            kryo.writeClassAndObject(out, valueOf(i, inv.attempt()));
            outcomes.add(CallOutcome.inline(i, out.toBytes(), time.nowMs(), time.nowMs()));
        }
        InvocationResult result = new InvocationResult(inv.number(), inv.attempt(), "w" + inv.attempt(), "", outcomes);
        storage.putIfAbsent(JobKeys.result(jobId, inv.number()), ResultCodec.encode(result));
    }

    private static String valueOf(int call, int attempt) {
        return "call " + call + " by attempt " + attempt;
    }

    private static Object valueOf(CallFutureImpl<Object> call) throws Exception {
        assertTrue(call.isDone(), call + " is not done");
        return call.get();
    }

    private static Throwable failureOf(CallFutureImpl<Object> call) throws InterruptedException {
        assertTrue(call.isDone(), call + " is not done");
        try {
            call.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail(call + " succeeded");
    }

    private static long budgetMs(int calls) {
        return CALL_TIMEOUT.toMillis() * calls + GRACE.toMillis();
    }

    @Test
    void aTimedOutInvocationIsAbortedAndRunAgainUntilItsRetriesAreSpentThenItsCallsTimeOut() throws Exception {
        MapJob job = started(1, 2, 2);
        Invocation first = backend.submitted.get(0);
        assertEquals(List.of(first), backend.submitted);

        job.started(first, "w0");
        time.advance(budgetMs(2) - 1);
        assertEquals(List.of(), backend.aborted, "aborted before its budget of timeout x calls + grace was spent");
        time.advance(1);
        Invocation second = first.nextAttempt();
        assertEquals(List.of(first), backend.aborted);
        assertEquals(List.of(first, second), backend.submitted);
        assertFalse(job.<Object>callFutures().get(0).isDone());

        job.started(second, "w1");
        time.advance(budgetMs(2));
        Invocation third = second.nextAttempt();
        assertEquals(List.of(first, second, third), backend.submitted);
        job.started(third, "w2");
        time.advance(budgetMs(2));

        assertEquals(List.of(first, second, third), backend.aborted);
        assertEquals(3, backend.submitted.size(), "a fourth run after retries = 2: " + backend.submitted);
        for (CallFutureImpl<Object> call : job.callFutures()) {
            CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, failureOf(call));
            assertEquals(3, e.attempts());
            assertEquals(CALL_TIMEOUT, e.timeout());
        }
        assertEquals(List.of(jobId), backend.finished);
        time.advance(Duration.ofHours(1).toMillis());
        assertEquals(3, backend.submitted.size());
        assertEquals(3, backend.aborted.size());
    }

    @Test
    void aRetryTheBackendRefusesFailsTheCallsInsteadOfHangingTheMap() throws Exception {
        MapJob job = started(1, 2, 2);
        backend.refuseAfter = 1; // the first run was taken; every retry is refused
        Invocation first = backend.submittedOf(0).get(0);
        job.started(first, "w0");
        job.lost(first, "worker w0 died");
        WorkerLostException e = assertInstanceOf(WorkerLostException.class, failureOf(job.callFutures().get(0)));
        assertTrue(e.getMessage().contains("the backend could not start it again"), e.getMessage());
        assertTrue(job.callFutures().get(1).isDone());
        time.advance(0); // runs what the engine handed to its executor
        assertEquals(List.of(jobId), backend.finished, "the map ended");
    }

    @Test
    void aLostInvocationIsRunAgainThenItsCallsFailWithWorkerLostAndStaleReportsAreIgnored() throws Exception {
        MapJob job = started(2, 1, 2);
        Invocation first = backend.submittedOf(0).get(0);
        job.started(first, "w0");
        job.lost(first, "worker w0 died");
        assertEquals(List.of(first, first.nextAttempt()), backend.submittedOf(0));

        job.lost(first, "reported twice"); // the attempt it names is no longer current
        assertEquals(2, backend.submittedOf(0).size());

        job.lost(first.nextAttempt(), "worker w1 died");
        Invocation third = first.nextAttempt().nextAttempt();
        assertEquals(third, backend.submittedOf(0).get(2));
        job.lost(third, "worker w2 died");

        WorkerLostException e = assertInstanceOf(WorkerLostException.class, failureOf(job.callFutures().get(0)));
        assertEquals(3, e.attempts());
        assertTrue(e.getMessage().contains("worker w2 died"), e.getMessage());
        assertEquals(List.of(), backend.aborted, "a lost invocation has nothing left to abort");
        assertEquals(3, backend.submittedOf(0).size());

        // the other invocation is unaffected and finishes the map
        Invocation other = backend.submittedOf(1).get(0);
        workerWritesResult(other);
        job.completed(other);
        assertEquals(valueOf(1, 0), valueOf(job.callFutures().get(1)));
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished);
    }

    /** Four single-call invocations with a minute each; three finish after a second, the fourth straggles. */
    private MapJob withStraggler() {
        MapJob job = started(4, 1, 2, Duration.ofMinutes(1), Speculation.after(0.75, 1.5).minRuntime(Duration.ofMillis(100)),
                true, storage);
        for (Invocation inv : List.copyOf(backend.submitted)) job.started(inv, "w" + inv.number());
        time.advance(1000);
        for (int n = 0; n < 3; n++) {
            Invocation inv = backend.submittedOf(n).get(0);
            workerWritesResult(inv);
            job.completed(inv);
        }
        return job;
    }

    @Test
    void aStragglerGetsOneCopyOnceItRunsPastTheThresholdAndTheCopyThatDeliversFirstWins() throws Exception {
        MapJob job = withStraggler();
        Invocation straggler = backend.submittedOf(3).get(0);
        // threshold: 1.5 x the median of 1000 ms; the straggler has run 1000 ms
        time.advance(499);
        assertEquals(List.of(straggler), backend.submittedOf(3), "copied before 1500 ms");
        time.advance(200);
        Invocation copy = straggler.nextAttempt();
        assertEquals(List.of(straggler, copy), backend.submittedOf(3));
        job.started(copy, "w-copy");
        time.advance(30_000); // three hundred more speculation rounds
        assertEquals(2, backend.submittedOf(3).size(), "more than one copy: " + backend.submittedOf(3));
        assertEquals(1, job.speculativeCopies());

        workerWritesResult(copy);
        job.completed(copy);
        assertEquals(valueOf(3, 1), valueOf(job.callFutures().get(3)));
        assertEquals(List.of(straggler), backend.aborted, "the first copy is stopped once the copy delivered");

        job.completed(straggler); // late, and too late
        assertEquals(valueOf(3, 1), valueOf(job.callFutures().get(3)));
        assertEquals(1, backend.aborted.size());
    }

    /** Lets the straggler's copy be launched, and start. */
    private Invocation startedCopy(MapJob job, Invocation straggler) {
        time.advance(1000);
        Invocation copy = straggler.nextAttempt();
        assertEquals(List.of(straggler, copy), backend.submittedOf(3));
        job.started(copy, "w-copy");
        return copy;
    }

    @Test
    void whenTheFirstCopyOfAStragglerDeliversFirstTheSpeculativeCopyIsStopped() throws Exception {
        MapJob job = withStraggler();
        Invocation straggler = backend.submittedOf(3).get(0);
        Invocation copy = startedCopy(job, straggler);

        workerWritesResult(straggler);
        job.completed(straggler);
        assertEquals(valueOf(3, 0), valueOf(job.callFutures().get(3)));
        assertEquals(List.of(copy), backend.aborted);
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished);
    }

    @Test
    void aLostSpeculativeCopyIsRunAgainWithoutHavingSpentARetry() throws Exception {
        MapJob job = withStraggler();
        Invocation copy = startedCopy(job, backend.submittedOf(3).get(0));
        job.lost(copy, "copy lost");
        List<Invocation> runs = backend.submittedOf(3);
        assertEquals(3, runs.size(), "the lost copy was not run again: " + runs);
        assertEquals(copy.nextAttempt(), runs.get(2));
        assertFalse(job.callFutures().get(3).isDone());
    }

    /**
     * A storage that notes when (on the fake clock) each listing was made, and has its listings throw the failures
     * queued in {@code listingFails}, one each, before it lists again; {@code exists} throws {@code existsFails} if set.
     */
    private static final class ListingClock implements Storage {
        final Storage inner;
        final FakeEngineTime time;
        final List<Long> listedAt = new CopyOnWriteArrayList<>();
        final Queue<RuntimeException> listingFails = new ConcurrentLinkedQueue<>();
        volatile RuntimeException existsFails;

        ListingClock(Storage inner, FakeEngineTime time) {
            this.inner = inner;
            this.time = time;
        }

        @Override public String uri() { return inner.uri(); }
        @Override public void put(String key, byte[] data) { inner.put(key, data); }
        @Override public boolean putIfAbsent(String key, byte[] data) { return inner.putIfAbsent(key, data); }
        @Override public InputStream open(String key) { return inner.open(key); }
        @Override public InputStream openRange(String key, long offset, long length) { return inner.openRange(key, offset, length); }
        @Override
        public boolean exists(String key) {
            if (existsFails != null) throw existsFails;
            return inner.exists(key);
        }
        @Override public void deletePrefix(String prefix) { inner.deletePrefix(prefix); }

        @Override
        public List<String> list(String prefix) {
            listedAt.add(time.nowMs());
            RuntimeException fail = listingFails.poll();
            if (fail != null) throw fail;
            return inner.list(prefix);
        }
    }

    @Test
    void resultPollingBacksOffWhileNothingAppearsAndStillPicksAResultUpWithinTheLongestInterval() throws Exception {
        ListingClock listing = new ListingClock(storage, time);
        MapJob job = startedBlind(2, 1, listing);
        Invocation a = backend.submittedOf(0).get(0);
        Invocation b = backend.submittedOf(1).get(0);
        job.started(a, "w");
        job.started(b, "w");
        time.advance(30_000);
        List<Long> at = List.copyOf(listing.listedAt);
        assertTrue(at.size() >= 5 && at.size() <= 30, "listings in 30 s with nothing to find: " + at.size());
        long previousGap = 0;
        for (int i = 1; i < at.size(); i++) {
            long gap = at.get(i) - at.get(i - 1);
            assertTrue(gap >= previousGap, "the interval shrank with nothing found: " + at);
            assertTrue(gap <= 2000, "an interval beyond 2 s: " + at);
            previousGap = gap;
        }
        assertTrue(previousGap > 10 * (at.get(0) - START), "the interval never grew: " + at);

        workerWritesResult(a);
        time.advance(2000);
        assertEquals(valueOf(0, 0), valueOf(job.callFutures().get(0)), "a listed result completes its calls");
        assertFalse(job.callFutures().get(1).isDone());
        workerWritesResult(b);
        time.advance(2000);
        assertEquals(valueOf(1, 0), valueOf(job.callFutures().get(1)));
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished);

        int listings = listing.listedAt.size();
        time.advance(60_000);
        assertEquals(listings, listing.listedAt.size(), "polling goes on after the map finished");
    }

    @Test
    void aRefusedListingFailsTheUnfinishedCallsAtOnceWithTheRefusal() throws Exception {
        ListingClock listing = new ListingClock(storage, time);
        MapJob job = startedBlind(3, 2, listing);
        Invocation done = backend.submittedOf(0).get(0);
        job.started(done, "w");
        workerWritesResult(done);
        time.advance(50); // the first listing finds it
        assertEquals(valueOf(1, 0), valueOf(job.callFutures().get(1)));

        StorageAccessDeniedException refusal = new StorageAccessDeniedException("refused ListObjectsV2 (test)", "results/", null);
        listing.listingFails.add(refusal);
        int listings = listing.listedAt.size();
        time.advance(50); // the next tick, after the shortest interval
        assertEquals(listings + 1, listing.listedAt.size());
        for (CallFutureImpl<Object> call : job.callFutures().subList(2, 6)) assertEquals(refusal, failureOf(call));
        assertEquals(List.of(backend.submittedOf(1).get(0), backend.submittedOf(2).get(0)), backend.aborted);
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished, "the map ended");
        assertEquals(new JobStatus(jobId, 6, 2, 4, 0), job.status());
        time.advance(Duration.ofHours(1).toMillis());
        assertEquals(listings + 1, listing.listedAt.size(), "listed again after the refusal");
        assertEquals(0, time.pending(), "timers left after the refusal");
    }

    @Test
    void aLossWhoseResultCannotBeLookedUpForWantOfPermissionFailsTheMapInsteadOfRunningItAgain() throws Exception {
        ListingClock listing = new ListingClock(storage, time);
        MapJob job = startedBlind(2, 1, listing);
        Invocation lost = backend.submittedOf(0).get(0);
        job.started(lost, "w");
        StorageAccessDeniedException refusal = new StorageAccessDeniedException("refused HeadObject (test)", "results/0", null);
        listing.existsFails = refusal;
        job.lost(lost, "no result at the deadline");
        assertEquals(refusal, failureOf(job.callFutures().get(0)));
        assertEquals(refusal, failureOf(job.callFutures().get(1)));
        assertEquals(List.of(lost), backend.submittedOf(0), "run again though no retry grants a permission");
    }

    @Test
    void failedListingsAreTriedAgainAndTheMapStillCompletes() throws Exception {
        ListingClock listing = new ListingClock(storage, time);
        listing.listingFails.add(new StorageException("cannot reach S3 (test)", null, null));
        listing.listingFails.add(new StorageException("503 SlowDown (test)", null, null));
        MapJob job = startedBlind(2, 1, listing);
        for (int n = 0; n < 2; n++) {
            job.started(backend.submittedOf(n).get(0), "w");
            workerWritesResult(backend.submittedOf(n).get(0));
        }
        time.advance(50 + 75);
        assertEquals(2, listing.listedAt.size());
        assertFalse(job.callFutures().get(0).isDone(), "done without a listing that succeeded");
        time.advance(112); // the third listing, the interval still growing by half
        assertEquals(3, listing.listedAt.size());
        assertEquals(valueOf(0, 0), valueOf(job.callFutures().get(0)));
        assertEquals(valueOf(1, 0), valueOf(job.callFutures().get(1)));
        assertEquals(List.of(), backend.aborted);
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished);
    }

    @Test
    void aLossReportedByABackendBlindToCompletionCountsOnlyIfNoResultWasStored() throws Exception {
        MapJob job = startedBlind(2, 1, storage);
        Invocation delivered = backend.submittedOf(0).get(0);
        Invocation missing = backend.submittedOf(1).get(0);
        job.started(delivered, "w");
        job.started(missing, "w");
        workerWritesResult(delivered); // written since the last listing: the engine has not seen it yet
        job.lost(delivered, "no result at the deadline");
        job.lost(missing, "no result at the deadline");

        assertEquals(valueOf(0, 0), valueOf(job.callFutures().get(0)));
        assertEquals(List.of(delivered), backend.submittedOf(0), "run again though its result was there");
        assertEquals(List.of(missing, missing.nextAttempt()), backend.submittedOf(1));
    }

    @Test
    void cancelCancelsEveryCallTellsTheBackendAndFlagsTheJobForWorkers() throws Exception {
        MapJob job = started(3, 2, 2);
        Invocation done = backend.submittedOf(0).get(0);
        job.started(done, "w");
        workerWritesResult(done);
        job.completed(done);
        job.started(backend.submittedOf(1).get(0), "w");

        job.cancel();
        assertEquals(valueOf(0, 0), valueOf(job.callFutures().get(0)), "a call done before the cancel keeps its value");
        for (CallFutureImpl<Object> call : job.callFutures().subList(2, 6)) assertTrue(call.isCancelled(), call.toString());
        assertEquals(List.of(jobId), backend.cancelled);
        assertTrue(storage.exists(JobKeys.cancelled(jobId)), "workers are not told the job is cancelled");
        time.advance(0);
        assertEquals(List.of(jobId), backend.finished);

        int submitted = backend.submitted.size();
        job.lost(backend.submittedOf(1).get(0), "killed by the cancel");
        time.advance(Duration.ofHours(1).toMillis());
        assertEquals(submitted, backend.submitted.size(), "something was run after the cancel");
        assertEquals(List.of(), backend.aborted);
        assertEquals(0, time.pending(), "timers left after the cancel");
    }
}

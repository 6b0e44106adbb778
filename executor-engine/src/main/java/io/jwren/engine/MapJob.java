package io.jwren.engine;

import com.esotericsoftware.kryo.Kryo;
import io.jwren.CallTimeoutException;
import io.jwren.JobStatus;
import io.jwren.ProtocolException;
import io.jwren.Speculation;
import io.jwren.StorageAccessDeniedException;
import io.jwren.StorageException;
import io.jwren.UpstreamFailureException;
import io.jwren.WorkerLostException;
import io.jwren.engine.closure.KryoPool;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.engine.protocol.ResultValueReader;
import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import io.jwren.spi.Storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The engine's view of one running map: which invocation is at which attempt, which calls are done,
 * when each running invocation times out. Backends report here; this decides on retries and completes
 * the call futures. A result is taken from whichever attempt delivers first; a call completes once.
 */
final class MapJob implements JobSpec, InvocationListener {
    private final String jobId;
    private final Backend backend;
    private final Storage storage;
    private final List<CallFutureImpl<Object>> calls;
    private final InvocationSlot[] slots;
    private final Duration callTimeout;
    private final Duration timeoutGrace;
    private final int retries;
    private final int memoryMb;
    private final EngineTime time;
    private final Function<Object, Object> localFunction;
    private final List<?> localInputs;
    private final ClassLoader userLoader;
    private final Runnable onFinished;
    private int invocationsDone;
    private int runningCalls;
    private volatile boolean cancelled;
    private final CallCountdown countdown;
    // Call events and stats: set up before start(), read by MapFuture.stats().
    private CallEvents events;
    private final AtomicInteger retriesStarted = new AtomicInteger();
    private final Speculation speculation;
    private final AtomicInteger speculativeCopies = new AtomicInteger();
    private final CallRunner runner;
    /** The job key, when the job is signed: every object read back is checked before it is decoded. */
    private volatile ObjectSigner signer;
    /** Whether this pool thread has run an invocation before: the first one it runs is its cold start. */
    private static final ThreadLocal<Boolean> THREAD_WARM = ThreadLocal.withInitial(() -> false);
    // Results read on demand (guarded by this): invocations done whose result object nobody has read yet.
    private boolean fetchOnDemand;
    private volatile byte[] inlineJob;
    private boolean demanded;
    private final List<Invocation> unfetched = new ArrayList<>();
    // Chaining (guarded by this): who waits for invocations to end; the map this one takes its inputs from.
    private final List<InvocationWatcher> watchers = new ArrayList<>();
    private MapJob upstream;
    private int[] waitingOn;

    /** Told once of each invocation of a map that ends, in whatever way. */
    interface InvocationWatcher {
        /**
         * @param inv         the invocation, at its current attempt
         * @param resultStored true if it ended with a result object (storage) or with its outcomes delivered
         *                     (in-process); false if it was lost, timed out, refused or cancelled
         */
        void invocationDone(Invocation inv, boolean resultStored);
    }

    MapJob(JobPlan plan, Backend backend, Storage storage, EngineTime time,
           Function<Object, Object> localFunction, List<?> localInputs, ClassLoader userLoader, Runnable onFinished) {
        this.jobId = plan.jobId();
        this.backend = backend;
        this.storage = storage;
        this.time = time;
        this.callTimeout = plan.callTimeout();
        this.timeoutGrace = plan.timeoutGrace();
        this.retries = plan.retries();
        this.memoryMb = plan.memoryMb();
        this.speculation = plan.speculation();
        this.runner = CallRunner.of(plan.retry());
        this.localFunction = localFunction;
        this.localInputs = localInputs;
        this.userLoader = userLoader;
        this.onFinished = onFinished;
        this.slots = plan.invocations().stream().map(InvocationSlot::new).toArray(InvocationSlot[]::new);
        this.calls = new ArrayList<>(plan.calls());
        this.countdown = new CallCountdown(plan.calls());
        for (int i = 0; i < plan.calls(); i++) calls.add(new CallFutureImpl<>(jobId, i, countdown));
    }

    /** Checks every result and value object against {@code signer} (null: an unsigned job); call before {@link #start()}. */
    void checkedWith(ObjectSigner signer) {
        this.signer = signer;
    }

    /** {@return the signer this job's objects are checked with, or null for an unsigned job} */
    ObjectSigner signer() {
        return signer;
    }

    /** Tells {@code listener} of every call's completion and retries; call before {@link #start()}. */
    void listen(io.jwren.CallListener listener) {
        if (listener == null) return;
        events = new CallEvents(jobId, listener);
        for (CallFutureImpl<Object> c : calls) c.onCompleted(events);
    }

    /** Invocation runs started so far: the first run of each, plus retries. */
    int attemptsStarted() {
        return slots.length + retriesStarted.get() + speculativeCopies.get();
    }

    /** Second copies launched for stragglers. */
    int speculativeCopies() {
        return speculativeCopies.get();
    }

    Backend backend() {
        return backend;
    }

    /** Counts a retry and tells the listener, outside the lock, before {@code next} is submitted. */
    private void retrying(Invocation next, boolean timeout, String reason) {
        retriesStarted.incrementAndGet();
        CallEvents ev = events;
        if (ev == null) return;
        ev.retried(next, calls, i -> timeout ? new CallTimeoutException(i, callTimeout, next.attempt(), null)
                : new WorkerLostException(i, next.attempt(), reason));
    }

    /** Hands every invocation to the backend. */
    void start() {
        if (slots.length == 0) {
            onFinished.run();
            return;
        }
        List<Invocation> first = new ArrayList<>(slots.length);
        synchronized (this) {
            long now = time.nowMs();
            for (InvocationSlot slot : slots) {
                slot.submittedMs = now;
                first.add(slot.current);
            }
        }
        if (upstream != null) upstream.watch(this::upstreamDone); // each invocation goes once its inputs are there
        else backend.submit(this, first, this);
        if (!backend.reportsCompletion(this)) time.schedule(this::pollResults, POLL_MIN_MS);
        if (speculation != null && speculation.enabled()) time.schedule(this::speculate, SPECULATION_TICK_MS);
    }

    /**
     * Makes this map take call i's input from call i of {@code up}: an invocation is handed to the backend once
     * every invocation of {@code up} covering its calls is done; call before {@link #start()}.
     */
    void chainOn(MapJob up) {
        int[] counts = new int[slots.length];
        int upChunk = up.chunkSize();
        for (int j = 0; j < slots.length; j++) {
            Invocation inv = slots[j].current;
            counts[j] = (inv.firstCall() + inv.callCount() - 1) / upChunk - inv.firstCall() / upChunk + 1;
        }
        synchronized (this) {
            upstream = up;
            waitingOn = counts;
        }
    }

    /** Calls per invocation (the last may have fewer). */
    int chunkSize() {
        return slots.length == 0 ? 1 : slots[0].current.callCount();
    }

    /**
     * An invocation of the upstream map ended: the calls here whose input failed there fail at once when it left
     * no result (no worker could see why), and the invocations here with every input ready go to the backend.
     */
    private void upstreamDone(Invocation up, boolean resultStored) {
        int end = up.firstCall() + up.callCount();
        if (!resultStored) {
            for (int i = up.firstCall(); i < end; i++) {
                Throwable failure = upstream.callFailure(i);
                if (failure != null) failCall(i, new UpstreamFailureException(upstream.jobId(), i, failure), null, 0);
            }
        }
        List<Invocation> ready = new ArrayList<>();
        synchronized (this) {
            for (int j = slots.length == 0 ? 0 : invocationOf(up.firstCall()); j < slots.length
                    && slots[j].current.firstCall() < end; j++) {
                if (--waitingOn[j] == 0) {
                    slots[j].submittedMs = time.nowMs();
                    ready.add(slots[j].current);
                }
            }
        }
        for (Invocation inv : ready) {
            if (allDone(inv)) { // every input failed: nothing to run
                if (markDone(inv.number(), -1)) announceDone(inv.number(), false);
            } else {
                submitAgain(inv);
            }
        }
    }

    /** What call i failed with (its cause, or a cancellation); null while it is not done or when it has a value. */
    Throwable callFailure(int i) {
        return ChainedInputs.failureOf(calls.get(i), jobId);
    }

    /** Tells {@code w} of every invocation that ends, those already ended at once. */
    void watch(InvocationWatcher w) {
        List<Invocation> ended = new ArrayList<>();
        List<Boolean> stored = new ArrayList<>();
        synchronized (this) {
            watchers.add(w);
            for (InvocationSlot slot : slots) {
                if (!slot.announced) continue;
                ended.add(slot.current);
                stored.add(slot.resultStored);
            }
        }
        for (int k = 0; k < ended.size(); k++) w.invocationDone(ended.get(k), stored.get(k));
    }

    /** Tells the watchers that invocation n ended; after its outcomes are delivered, if they were. */
    private void announceDone(int n, boolean resultStored) {
        List<InvocationWatcher> told;
        Invocation inv;
        synchronized (this) {
            InvocationSlot slot = slots[n];
            if (slot.announced) return;
            slot.announced = true;
            slot.resultStored = resultStored;
            inv = slot.current;
            told = List.copyOf(watchers);
        }
        for (InvocationWatcher w : told) w.invocationDone(inv, resultStored);
    }

    /**
     * From now on, results are read only once someone asks for them ({@link #demand()}): a map whose results only a
     * chained map reads is never downloaded by the client. Call before {@link #start()}.
     */
    synchronized void fetchOnDemand() {
        fetchOnDemand = true;
    }

    /** Someone looks at the results: read those of the invocations done so far, and every later one as it ends. */
    void demand() {
        List<Invocation> waiting;
        synchronized (this) {
            if (demanded) return;
            demanded = true;
            waiting = List.copyOf(unfetched);
            unfetched.clear();
        }
        for (Invocation inv : waiting) time.execute(() -> fetch(inv, null));
    }

    /** True if the result of {@code inv} is to be read later, on demand; it is then remembered. */
    private synchronized boolean deferred(Invocation inv) {
        if (!fetchOnDemand || demanded) return false;
        unfetched.add(inv);
        return true;
    }

    private static final long SPECULATION_TICK_MS = 100;

    /**
     * Starts a second copy of each running invocation that has run past the policy's threshold, at most one
     * per invocation. The first copy keeps running: whichever delivers first gives the results.
     */
    private void speculate() {
        if (isFinished() || cancelled) return;
        List<Invocation> copies = new ArrayList<>();
        long now = time.nowMs();
        synchronized (this) {
            long threshold = speculation.thresholdMs(doneDurations(), slots.length);
            if (threshold >= 0) {
                for (InvocationSlot slot : slots) {
                    if (slot.phase != InvocationSlot.Phase.RUNNING || slot.speculatedFrom != null
                            || now - slot.startedMs <= threshold) continue;
                    Invocation first = slot.current;
                    slot.speculatedFrom = first;
                    runningCalls -= first.callCount();
                    slot.cancelTimer(); // the copy gets its own budget; the first copy's result is still taken
                    slot.resubmitted(first.nextAttempt(), now);
                    copies.add(slot.current);
                }
            }
        }
        for (Invocation copy : copies) {
            speculativeCopies.incrementAndGet();
            submitAgain(copy);
        }
        if (!isFinished()) time.schedule(this::speculate, SPECULATION_TICK_MS);
    }

    /** How long each invocation done so far took from its first start; those that never started are left out. */
    private synchronized long[] doneDurations() {
        long[] all = new long[slots.length];
        int count = 0;
        for (InvocationSlot slot : slots) if (slot.durationMs >= 0) all[count++] = slot.durationMs;
        return java.util.Arrays.copyOf(all, count);
    }

    private static final long POLL_MIN_MS = 50;
    private static final long POLL_MAX_MS = 2000;
    private long pollIntervalMs = POLL_MIN_MS;

    /**
     * Learns completions by listing result objects, for backends that cannot report them. The interval
     * starts short and grows by half while nothing new appears, so a long job costs few listings. A failed
     * listing is tried again at the next tick; a refused one fails the map, since no retry grants a permission.
     */
    private void pollResults() {
        if (isFinished()) return;
        boolean progress = false;
        try {
            for (String key : storage.list(JobKeys.resultsPrefix(jobId))) {
                int n = JobKeys.invocationOfResult(jobId, key);
                if (n < 0 || n >= slots.length) continue;
                Invocation inv;
                synchronized (this) {
                    if (slots[n].phase == InvocationSlot.Phase.DONE) continue;
                    inv = slots[n].current;
                }
                completed(inv);
                progress = true;
            }
        } catch (StorageAccessDeniedException e) {
            refused(e);
            return;
        } catch (RuntimeException e) {
            // a transient failure (unreachable, throttled): tried again at the next tick
        }
        pollIntervalMs = progress ? POLL_MIN_MS : Math.min(POLL_MAX_MS, pollIntervalMs * 3 / 2);
        if (!isFinished()) time.schedule(this::pollResults, pollIntervalMs);
    }

    private synchronized boolean isFinished() {
        return invocationsDone == slots.length;
    }

    /** Counts down as calls complete; zero when every call future is done. */
    CallCountdown countdown() {
        return countdown;
    }

    @SuppressWarnings("unchecked")
    <R> List<CallFutureImpl<R>> callFutures() {
        return (List<CallFutureImpl<R>>) (List<?>) calls;
    }

    // ---- JobSpec ----

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public int calls() {
        return calls.size();
    }

    @Override
    public int invocations() {
        return slots.length;
    }

    @Override
    public int retries() {
        return retries;
    }

    @Override
    public Duration callTimeout() {
        return callTimeout;
    }

    @Override
    public int memoryMb() {
        return memoryMb;
    }

    @Override
    public Storage storage() {
        return storage;
    }

    /** Hands the job's objects to the backend in its messages ({@link JobSpec#inlineJob()}); call before {@link #start()}. */
    void inline(byte[] inlineJob) {
        this.inlineJob = inlineJob;
    }

    @Override
    public byte[] inlineJob() {
        return inlineJob;
    }

    @Override
    public void runInProcess(Invocation inv, String workerId) throws InterruptedException {
        if (localFunction == null) throw new IllegalStateException("job " + jobId + " is not an in-process job");
        List<?> slice = localInputs.subList(inv.firstCall(), inv.firstCall() + inv.callCount());
        long submitted = submittedMs(inv.number());
        boolean coldStart = !THREAD_WARM.get();
        THREAD_WARM.set(true);
        boolean complete = runner.run(localFunction, slice, inv.firstCall(), coldStart, outcome -> {
            // A failure seen after the engine gave up on this attempt is the interrupt talking, not the call.
            if (outcome.ok() || isCurrent(inv)) deliver(outcome, outcome.value(), workerId, inv.attempt(), submitted);
        });
        if (!complete) throw new InterruptedException("invocation " + inv.number() + " of job " + jobId + " interrupted");
    }

    private synchronized boolean isCurrent(Invocation inv) {
        return slots[inv.number()].isLive(inv);
    }

    private synchronized long submittedMs(int n) {
        return slots[n].submittedMs;
    }

    // ---- InvocationListener ----

    @Override
    public void started(Invocation inv, String workerId) {
        InvocationSlot slot = slots[inv.number()];
        long budgetMs;
        synchronized (this) {
            if (slot.phase != InvocationSlot.Phase.PENDING || slot.current.attempt() != inv.attempt()) return;
            slot.phase = InvocationSlot.Phase.RUNNING;
            runningCalls += inv.callCount();
            if (slot.startedMs < 0) slot.startedMs = time.nowMs();
            budgetMs = callTimeout.toMillis() * inv.callCount() + timeoutGrace.toMillis();
        }
        EngineTime.Cancellable timer = time.schedule(() -> timedOut(inv), budgetMs);
        synchronized (this) {
            if (slot.phase == InvocationSlot.Phase.RUNNING && slot.current.attempt() == inv.attempt()) slot.timer = timer;
            else timer.cancel();
        }
    }

    @Override
    public void completed(Invocation inv) {
        completed(inv, null);
    }

    @Override
    public void completed(Invocation inv, byte[] resultObject) {
        int n = inv.number();
        // A first copy that lost to its speculative copy may have had failures dropped (only the current
        // attempt's failures count): it is not the one to finish the invocation.
        if (localFunction != null && !isCurrent(inv) && !allDone(inv)) return;
        if (!markDone(n, -1)) return;
        stopOtherCopy(n, inv);
        if (localFunction != null) {
            // In-process calls were delivered as they ran; anything missing was interrupted.
            failUndone(inv, new IllegalStateException("invocation " + n + " ended without running all its calls"), null);
            announceDone(n, true);
            return;
        }
        if (!deferred(inv)) fetch(inv, resultObject);
        announceDone(n, true);
    }

    /**
     * Reads the result object of {@code inv}, which is done, and completes its calls.
     *
     * @param resultObject its bytes, when the backend handed them over, or null to read them from storage
     */
    private void fetch(Invocation inv, byte[] resultObject) {
        int n = inv.number();
        String key = JobKeys.result(jobId, n);
        InvocationResult result;
        try {
            // A result object handed over is the stored bytes, checked as one read from storage.
            result = ResultCodec.decode(key, resultObject != null ? resultObject : storage.get(key), signer);
        } catch (StorageException e) {
            Throwable cause = e instanceof ProtocolException ? e
                    : new ProtocolException("result object '" + key + "' of job " + jobId + " cannot be read: " + e.getMessage(), key, e);
            failUndone(inv, cause, null);
            return;
        }
        KryoPool pool = KryoPool.reading(userLoader);
        Kryo kryo = pool.borrow();
        boolean reusable = true;
        long submitted = submittedMs(n);
        for (CallOutcome outcome : result.calls()) {
            Object value = null;
            CallOutcome effective = outcome;
            if (outcome.ok()) {
                try {
                    value = ResultValueReader.read(kryo, storage, outcome, signer);
                } catch (StorageException e) {
                    effective = CallOutcome.failure(outcome.index(), e, outcome.startMs(), outcome.endMs())
                            .withMetrics(outcome.metrics());
                } catch (RuntimeException | LinkageError e) {
                    reusable = false;
                    effective = CallOutcome.failure(outcome.index(), new ProtocolException("result of call " + outcome.index()
                            + " in '" + key + "' cannot be decoded on the client: " + e, key, e), outcome.startMs(), outcome.endMs())
                            .withMetrics(outcome.metrics());
                }
            }
            deliver(effective, value, result.workerId(), result.attempt(), submitted);
        }
        if (reusable) pool.release(kryo);
        failUndone(inv, new ProtocolException("result object '" + key + "' lacks some calls of invocation " + n, key, null),
                null);
    }

    private boolean allDone(Invocation inv) {
        for (int i = inv.firstCall(); i < inv.firstCall() + inv.callCount(); i++) if (!calls.get(i).isDone()) return false;
        return true;
    }

    /** Once a speculated invocation is done, the copy that did not finish it is stopped (best effort). */
    private void stopOtherCopy(int n, Invocation finished) {
        Invocation first;
        Invocation copy;
        synchronized (this) {
            first = slots[n].speculatedFrom;
            copy = slots[n].current;
        }
        if (first == null) return;
        backend.abort(finished.attempt() == first.attempt() ? copy : first);
    }

    /**
     * A backend that cannot see completion reports a loss once its deadline passes, without knowing whether a
     * result came: the engine looks for the result object itself, so results are watched in one place.
     */
    @Override
    public void lost(Invocation inv, String reason) {
        try {
            if (!backend.reportsCompletion() && storage != null && isCurrent(inv) && resultStored(inv.number())) {
                completed(inv);
                return;
            }
        } catch (StorageAccessDeniedException e) {
            refused(e);
            return;
        }
        retryOrFail(inv, false, reason);
    }

    /**
     * Storage refused this client what it needs to learn results: every invocation not done ends, its calls
     * failing with the refusal, and the backend is told to stop it.
     */
    private void refused(StorageAccessDeniedException e) {
        for (InvocationSlot slot : slots) {
            Invocation inv;
            synchronized (this) {
                inv = slot.current;
            }
            if (failInvocation(inv, -1, i -> e)) backend.abort(inv);
        }
    }

    private boolean resultStored(int n) {
        try {
            return storage.exists(JobKeys.result(jobId, n));
        } catch (StorageAccessDeniedException e) {
            throw e;
        } catch (RuntimeException e) {
            return false; // storage unreachable: run it again; a late result still wins if it comes
        }
    }

    private void timedOut(Invocation inv) {
        retryOrFail(inv, true, null);
    }

    /**
     * Hands a retry or a speculative copy to the backend, on a timer or listener thread: a backend that refuses it
     * is reported as having lost it, so the engine retries or fails its calls instead of waiting for ever; a map
     * that has ended submits nothing more (the backend has released it).
     */
    private void submitAgain(Invocation inv) {
        if (cancelled || isFinished()) return;
        try {
            backend.submit(this, List.of(inv), this);
        } catch (RuntimeException e) {
            lost(inv, "the backend could not start it again: " + e);
        }
    }

    private void retryOrFail(Invocation inv, boolean timeout, String reason) {
        int n = inv.number();
        InvocationSlot slot = slots[n];
        Invocation next;
        synchronized (this) {
            if (!slot.isLive(inv)) return;
            if (slot.phase == InvocationSlot.Phase.RUNNING) runningCalls -= inv.callCount();
            slot.cancelTimer();
            if (slot.retriesSpent(inv) < retries && !cancelled) {
                next = inv.nextAttempt();
                slot.resubmitted(next, time.nowMs());
            } else {
                next = null;
            }
        }
        if (next != null) {
            if (timeout) backend.abort(inv); // the old attempt is no longer current: what it reports is dropped
            retrying(next, timeout, reason);
            submitAgain(next);
            return;
        }
        // Done, and its calls failed, before the abort: neither the failure the interrupt causes nor a value
        // the interrupted call still returns is taken for the call's own outcome.
        int attempts = inv.attempt() + 1;
        if (!failInvocation(inv, inv.attempt(), i -> timeout ? new CallTimeoutException(i, callTimeout, attempts, null)
                : new WorkerLostException(i, attempts, reason))) return;
        if (timeout) backend.abort(inv);
    }

    /**
     * Ends invocation {@code inv} (if {@code attempt} is -1 or its current one) and fails its calls not done yet, call
     * i with {@code causeOf(i)}; false if it had already ended.
     */
    private boolean failInvocation(Invocation inv, int attempt, IntFunction<Throwable> causeOf) {
        if (!markDone(inv.number(), attempt)) return false;
        for (int i = inv.firstCall(); i < inv.firstCall() + inv.callCount(); i++) failCall(i, causeOf.apply(i), null, inv.attempt());
        announceDone(inv.number(), false);
        return true;
    }

    /** Marks invocation n done (if attempt is -1 or current); false if it already was. */
    private boolean markDone(int n, int attempt) {
        InvocationSlot slot = slots[n];
        boolean finished;
        synchronized (this) {
            if (slot.phase == InvocationSlot.Phase.DONE || (attempt >= 0 && slot.current.attempt() != attempt)) return false;
            if (slot.phase == InvocationSlot.Phase.RUNNING) runningCalls -= slot.current.callCount();
            slot.phase = InvocationSlot.Phase.DONE;
            slot.cancelTimer();
            invocationsDone++;
            if (slot.startedMs >= 0) slot.durationMs = time.nowMs() - slot.startedMs;
            finished = invocationsDone == slots.length;
        }
        if (finished) time.execute(onFinished);
        return true;
    }

    private void deliver(CallOutcome outcome, Object value, String workerId, int attempt, long submitted) {
        CallFutureImpl<Object> call = calls.get(outcome.index());
        if (call.isDone()) return;
        call.timing(workerId, attempt, submitted, outcome.startMs(), outcome.endMs());
        call.metrics(outcome.metrics());
        CallEvents ev = events;
        if (ev != null && !outcome.metrics().reruns().isEmpty()) {
            ev.reran(outcome.index(), attempt, workerId, outcome.metrics().reruns().stream()
                    .map(e -> e.toThrowable(userLoader, outcome.index())).toList());
        }
        if (outcome.ok()) {
            call.succeed(value);
        } else {
            Throwable cause = outcome.error().toThrowable(userLoader, outcome.index());
            call.fail(cause, "on worker " + workerId + (attempt > 0 ? " (attempt " + (attempt + 1) + ")" : ""));
        }
    }

    private void failCall(int index, Throwable cause, String workerId, int attempt) {
        CallFutureImpl<Object> call = calls.get(index);
        if (call.isDone()) return;
        long now = time.nowMs();
        long submitted = submittedMs(invocationOf(index));
        call.timing(workerId == null ? "none" : workerId, attempt, submitted, now, now);
        call.fail(cause, null);
    }

    int invocationOf(int callIndex) {
        int lo = 0, hi = slots.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (slots[mid].current.firstCall() <= callIndex) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private void failUndone(Invocation inv, Throwable cause, String workerId) {
        for (int i = inv.firstCall(); i < inv.firstCall() + inv.callCount(); i++) failCall(i, cause, workerId, inv.attempt());
    }

    /** Cancels every call not done yet and stops the backend's work on this job. */
    void cancel() {
        cancelled = true;
        for (CallFutureImpl<Object> c : calls) {
            c.cancel(true);
        }
        backend.cancel(jobId);
        if (storage != null) {
            try {
                storage.put(JobKeys.cancelled(jobId), new byte[0]);
            } catch (RuntimeException ignored) {
                // workers then run what they have; their results are ignored
            }
        }
        for (int n = 0; n < slots.length; n++) if (markDone(n, -1)) announceDone(n, false);
    }

    /** Counted from the call futures themselves, so it never lags what get() has seen. */
    JobStatus status() {
        int ok = 0;
        int bad = 0;
        for (CallFutureImpl<Object> c : calls) {
            if (!c.isDone()) continue;
            if (c.failed()) bad++;
            else ok++;
        }
        int running;
        synchronized (this) {
            running = runningCalls;
        }
        return new JobStatus(jobId, calls.size(), ok, bad, running);
    }
}

package io.jwren.engine;

import io.jwren.CallFuture;
import io.jwren.CallStats;
import io.jwren.engine.protocol.CallMetrics;

import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** One call's future: a {@link CompletableFuture} plus where and when the call ran. */
class CallFutureImpl<R> implements CallFuture<R> {
    private final String jobId;
    private final int index;
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final CallCountdown countdown;
    // Written before the future completes and read after it is seen done: the completion publishes them.
    private String workerId;
    private int attempt;
    private long submittedMs, startMs, endMs;
    private CallMetrics metrics = CallMetrics.NONE;
    private String failureContext;
    private Throwable failureCause;
    // Set before the job starts; told of the completion before the countdown, so before get() can return.
    private Consumer<CallFutureImpl<?>> onCompleted;

    CallFutureImpl(String jobId, int index, CallCountdown countdown) {
        this.jobId = jobId;
        this.index = index;
        this.countdown = countdown;
    }

    /** Records where and when the call ran; call before completing. */
    void timing(String workerId, int attempt, long submittedMs, long startMs, long endMs) {
        this.workerId = workerId;
        this.attempt = attempt;
        this.submittedMs = submittedMs;
        this.startMs = startMs;
        this.endMs = endMs;
    }

    /** Records what the call cost on its worker; call before completing. */
    void metrics(CallMetrics metrics) {
        this.metrics = metrics;
    }

    /** Runs {@code hook} once this call completes (not when cancelled), before the map counts it done. */
    void onCompleted(Consumer<CallFutureImpl<?>> hook) {
        this.onCompleted = hook;
    }

    boolean succeed(R value) {
        return counted(future.complete(value));
    }

    private boolean counted(boolean completedNow) {
        if (completedNow) {
            Consumer<CallFutureImpl<?>> hook = onCompleted;
            if (hook != null && !future.isCancelled()) hook.accept(this);
            countdown.callDone();
        }
        return completedNow;
    }

    /** The future itself, for the engine; users get a copy, so completing theirs cannot corrupt a map. */
    CompletableFuture<R> future() {
        return future;
    }

    /** @param context where it failed, for the ExecutionException message ("on worker w-1, attempt 2") */
    boolean fail(Throwable cause, String context) {
        this.failureContext = context;
        this.failureCause = cause;
        return counted(future.completeExceptionally(cause));
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> copy = future.copy();
        // Only a cancel of the copy itself cancels the call: an outcome of the call reaches the copy wrapped.
        copy.whenComplete((value, failure) -> {
            if (copy.isCancelled()) cancel(true);
        });
        return copy;
    }

    @Override
    public CallStats stats() {
        if (!future.isDone() || workerId == null) return null;
        CallMetrics m = metrics;
        return new CallStats(index, workerId, attempt, Instant.ofEpochMilli(submittedMs), Instant.ofEpochMilli(startMs),
                Instant.ofEpochMilli(endMs), future.isCompletedExceptionally(), m.reruns().size(),
                java.time.Duration.ofNanos(Math.max(0, m.cpuNanos())), Math.max(0, m.allocatedBytes()), m.coldStart());
    }

    /** What the call failed with, or null. */
    Throwable failureCause() {
        return failureCause;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return counted(future.cancel(mayInterruptIfRunning));
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    boolean failed() {
        return future.isCompletedExceptionally();
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw described(e);
        }
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return future.get(timeout, unit);
        } catch (ExecutionException e) {
            throw described(e);
        }
    }

    /** The ExecutionException that {@link #get()} throws now; null if not failed. */
    ExecutionException failure() {
        if (!future.isCompletedExceptionally() || future.isCancelled()) return null;
        try {
            future.join();
            return null;
        } catch (CancellationException e) {
            return null;
        } catch (RuntimeException e) {
            return described(new ExecutionException(e.getCause()));
        }
    }

    private ExecutionException described(ExecutionException e) {
        Throwable cause = e.getCause();
        String where = failureContext == null ? "" : " " + failureContext;
        return new ExecutionException("call " + index + " of job " + jobId + " failed" + where + ": " + cause, cause);
    }

    @Override
    public String toString() {
        String state = !future.isDone() ? "pending" : future.isCancelled() ? "cancelled"
                : future.isCompletedExceptionally() ? "failed" : "done";
        return "CallFuture[" + jobId + "#" + index + " " + state + "]";
    }
}

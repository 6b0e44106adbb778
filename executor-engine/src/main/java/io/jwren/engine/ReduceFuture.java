package io.jwren.engine;

import io.jwren.SerializableBinaryOperator;

import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Folds a map's results in input order as they arrive: whenever the next call in order is done, it is
 * folded in, so the reduction keeps pace with the map and needs no extra pass at the end.
 */
final class ReduceFuture<R> extends CallFutureImpl<R> {
    private final List<CallFutureImpl<R>> calls;
    private final SerializableBinaryOperator<R> reducer;
    private final java.util.concurrent.Future<?> map;
    private int next;
    private R accumulated;

    /** @param map the map whose results are folded: cancelling the reduction cancels it */
    ReduceFuture(String jobId, List<CallFutureImpl<R>> calls, SerializableBinaryOperator<R> reducer, java.util.concurrent.Future<?> map) {
        super(jobId, 0, new CallCountdown(1));
        this.calls = calls;
        this.reducer = reducer;
        this.map = map;
        if (calls.isEmpty()) succeed(null);
        for (CallFutureImpl<R> c : calls) c.future().whenComplete((v, t) -> advance());
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) map.cancel(mayInterruptIfRunning);
        return cancelled;
    }

    private synchronized void advance() {
        while (next < calls.size() && calls.get(next).isDone() && !isDone()) {
            CallFutureImpl<R> c = calls.get(next);
            if (c.isCancelled()) {
                cancel(false);
                return;
            }
            ExecutionException failure = c.failure();
            if (failure != null) {
                fail(failure.getCause(), "(reduce stopped at call " + next + ")");
                return;
            }
            R value = c.future().getNow(null);
            try {
                accumulated = next == 0 ? value : reducer.call(accumulated, value);
            } catch (Exception e) { // a checked exception of the reducer's call is the reduction's failure as it is
                fail(e, "(reducer threw at call " + next + ")");
                return;
            }
            next++;
        }
        if (next == calls.size() && !isDone()) succeed(accumulated);
    }
}

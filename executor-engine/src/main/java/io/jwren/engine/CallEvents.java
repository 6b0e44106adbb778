package io.jwren.engine;

import io.jwren.CallEvent;
import io.jwren.CallListener;
import io.jwren.CallStats;
import io.jwren.spi.Invocation;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Turns what happens to a map's calls into {@link CallEvent}s for the user's {@link CallListener}. Runs on
 * the thread that completes the call or decides the retry, never under the job's lock; a listener that
 * throws is reported once on stderr and otherwise ignored.
 */
final class CallEvents implements Consumer<CallFutureImpl<?>> {
    private final String jobId;
    private final CallListener listener;
    private final AtomicBoolean complained = new AtomicBoolean();

    CallEvents(String jobId, CallListener listener) {
        this.jobId = jobId;
        this.listener = listener;
    }

    /** A call completed (not cancelled): done or failed. */
    @Override
    public void accept(CallFutureImpl<?> call) {
        CallStats st = call.stats();
        if (st == null) return;
        fire(new CallEvent(jobId, call.index(), st.failed() ? CallEvent.Kind.FAILED : CallEvent.Kind.DONE, st.attempt(),
                st.workerId(), st.submitted(), st.started(), st.finished(), call.failureCause()));
    }

    /** Invocation {@code next} is about to run again: one event for each of its calls not done yet. */
    void retried(Invocation next, List<? extends CallFutureImpl<?>> calls, IntFunction<Throwable> reason) {
        for (int i = next.firstCall(); i < next.firstCall() + next.callCount(); i++) {
            if (calls.get(i).isDone()) continue;
            fire(new CallEvent(jobId, i, CallEvent.Kind.RETRIED, next.attempt(), null, null, null, null, reason.apply(i)));
        }
    }

    /** Call {@code index} was run again on its worker, once for each of {@code errors}, before its outcome came. */
    void reran(int index, int attempt, String workerId, List<Throwable> errors) {
        for (Throwable error : errors) {
            fire(new CallEvent(jobId, index, CallEvent.Kind.RERAN, attempt, workerId, null, null, null, error));
        }
    }

    private void fire(CallEvent e) {
        try {
            switch (e.kind()) {
                case DONE -> listener.done(e);
                case FAILED -> listener.failed(e);
                case RETRIED -> listener.retried(e);
                case RERAN -> listener.reran(e);
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            if (complained.compareAndSet(false, true)) {
                System.err.println("jwren: the call listener of job " + jobId + " threw on " + e.kind() + " of call "
                        + e.index() + ": " + t + " (ignored; later errors of this listener are not reported)");
            }
        }
    }
}

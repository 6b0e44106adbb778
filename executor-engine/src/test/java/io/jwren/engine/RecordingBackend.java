package io.jwren.engine;

import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend that runs nothing: it records what the engine asks of it, and the test plays the workers. */
final class RecordingBackend implements Backend {
    final List<Invocation> submitted = new CopyOnWriteArrayList<>();
    /** Submits refused once this many invocations were taken; -1 never. */
    volatile int refuseAfter = -1;
    final List<Invocation> aborted = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final List<String> finished = new CopyOnWriteArrayList<>();
    private final boolean reportsCompletion;

    RecordingBackend(boolean reportsCompletion) {
        this.reportsCompletion = reportsCompletion;
    }

    @Override
    public boolean reportsCompletion() {
        return reportsCompletion;
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        if (refuseAfter >= 0 && submitted.size() >= refuseAfter) throw new IllegalStateException("submit refused (test)");
        submitted.addAll(invocations);
    }

    @Override
    public void abort(Invocation invocation) {
        aborted.add(invocation);
    }

    @Override
    public void cancel(String jobId) {
        cancelled.add(jobId);
    }

    @Override
    public void jobFinished(String jobId) {
        finished.add(jobId);
    }

    /** The submissions of invocation {@code n}, in order. */
    List<Invocation> submittedOf(int n) {
        return submitted.stream().filter(i -> i.number() == n).toList();
    }

    @Override
    public void close() {}
}

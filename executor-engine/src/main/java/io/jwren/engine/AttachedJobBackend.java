package io.jwren.engine;

import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.List;

/**
 * Stands in for the backend of a job this client attached to: it submits nothing, since another client
 * owns the job's invocations, and reports nothing, so the engine learns completion from the results
 * stored, exactly as it would re-derive a job's state after a restart.
 */
final class AttachedJobBackend implements Backend {
    static final AttachedJobBackend INSTANCE = new AttachedJobBackend();

    @Override
    public boolean reportsCompletion() {
        return false;
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {}

    @Override
    public void abort(Invocation invocation) {}

    @Override
    public void cancel(String jobId) {}

    @Override
    public void close() {}
}

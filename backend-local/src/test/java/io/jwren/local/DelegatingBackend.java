package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.Billing;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.time.Duration;
import java.util.List;

/** A backend that passes everything to another; test backends override the one thing they change. */
class DelegatingBackend implements Backend {
    final Backend real;

    DelegatingBackend(Backend real) {
        this.real = real;
    }

    @Override
    public boolean inProcess() {
        return real.inProcess();
    }

    @Override
    public boolean handsSigningKey() {
        return real.handsSigningKey();
    }

    @Override
    public boolean reportsCompletion() {
        return real.reportsCompletion();
    }

    @Override
    public boolean reportsCompletion(JobSpec job) {
        // a wrapper that swallows completions (reportsCompletion() false) reports none for any job
        return reportsCompletion() && real.reportsCompletion(job);
    }

    @Override
    public int maxClassFileMajor() {
        return real.maxClassFileMajor();
    }

    @Override
    public Duration timeoutGrace() {
        return real.timeoutGrace();
    }

    @Override
    public Billing billing() {
        return real.billing();
    }

    @Override
    public long inlineLimit() {
        return real.inlineLimit();
    }

    @Override
    public long inlineLimit(int invocations) {
        return real.inlineLimit(invocations);
    }

    @Override
    public void jobFinished(String jobId) {
        real.jobFinished(jobId);
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        real.submit(job, invocations, listener);
    }

    @Override
    public void abort(Invocation invocation) {
        real.abort(invocation);
    }

    @Override
    public void cancel(String jobId) {
        real.cancel(jobId);
    }

    @Override
    public void close() {
        real.close();
    }
}

package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.List;

/**
 * Test backend "stage-only": runs nothing. The engine stages each job in storage and then waits for its
 * result objects by listing, so a test can run the invocations itself, e.g. with {@code java -jar}.
 */
public final class StageOnlyProvider implements BackendProvider {
    @Override
    public String name() {
        return "stage-only";
    }

    @Override
    public Backend create(BackendContext context) {
        return new Backend() {
            @Override
            public boolean reportsCompletion() {
                return false;
            }

            @Override
            public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
                // the test runs them
            }

            @Override
            public void abort(Invocation invocation) {
            }

            @Override
            public void cancel(String jobId) {
            }

            @Override
            public void close() {
            }
        };
    }
}

package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.List;

/**
 * Test backend "stage-only": runs nothing. The engine stages each job in storage and then waits for its
 * result objects by listing, so a test can run the invocations itself, e.g. with {@code java -jar}. Its jobs are
 * unsigned, as for a backend that cannot hand its workers a key; "stage-only-signed" ({@link Signed}) signs them, and
 * its test hands the workers it runs the executor's {@code jwren.signing-key}.
 */
public class StageOnlyProvider implements BackendProvider {
    /** "stage-only-signed". */
    public static final class Signed extends StageOnlyProvider {
        @Override
        public String name() {
            return "stage-only-signed";
        }

        @Override
        boolean signs() {
            return true;
        }
    }

    @Override
    public String name() {
        return "stage-only";
    }

    boolean signs() {
        return false;
    }

    @Override
    public Backend create(BackendContext context) {
        return new Backend() {
            @Override
            public boolean handsSigningKey() {
                return signs();
            }

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

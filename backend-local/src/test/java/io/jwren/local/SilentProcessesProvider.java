package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.List;

/**
 * Test backend "processes-silent": the processes backend with its completion reports swallowed, as a
 * cloud backend that cannot tell when an invocation ends; the engine must find results by listing.
 */
public final class SilentProcessesProvider implements BackendProvider {
    @Override
    public String name() {
        return "processes-silent";
    }

    @Override
    public Backend create(BackendContext context) {
        ProcessesBackend real = new ProcessesBackend(context, LocalBackendProviders.workers(context));
        return new DelegatingBackend(real) {
            @Override
            public boolean reportsCompletion() {
                return false;
            }

            @Override
            public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
                real.submit(job, invocations, new ForwardingListener(listener) {
                    @Override
                    public void completed(Invocation inv) {
                        // swallowed: the engine has to poll storage
                    }
                });
            }
        };
    }
}

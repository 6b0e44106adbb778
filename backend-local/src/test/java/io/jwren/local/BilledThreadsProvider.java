package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Billing;

/** Test backend "threads-billed": the threads backend, claiming to be billed per GB-second as Lambda is. */
public final class BilledThreadsProvider implements BackendProvider {
    @Override
    public String name() {
        return "threads-billed";
    }

    @Override
    public Backend create(BackendContext context) {
        return new DelegatingBackend(new ThreadsBackend(context.executorId(), LocalBackendProviders.workers(context))) {
            @Override
            public Billing billing() {
                return Billing.PER_GB_SECOND;
            }
        };
    }
}

package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

/** The backends of this module, found through ServiceLoader. */
public final class LocalBackendProviders {
    private LocalBackendProviders() {}

    static int workers(BackendProvider.BackendContext context) {
        return Math.max(1, context.config().getInt("jwren.workers", Runtime.getRuntime().availableProcessors()));
    }

    /** {@code jwren.backend=threads}: the default. */
    public static final class Threads implements BackendProvider {
        @Override
        public String name() {
            return "threads";
        }

        @Override
        public Backend create(BackendContext context) {
            return new ThreadsBackend(context.executorId(), workers(context));
        }
    }

    /** {@code jwren.backend=processes}: worker JVMs on this machine. */
    public static final class Processes implements BackendProvider {
        @Override
        public String name() {
            return "processes";
        }

        @Override
        public Backend create(BackendContext context) {
            return new ProcessesBackend(context, workers(context));
        }
    }
}

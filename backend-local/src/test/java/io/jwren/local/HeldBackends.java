package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test backends "threads-held" and "processes-held": the real ones, remembered by executor id so that a
 * test can ask what they still hold once its maps are done.
 */
public final class HeldBackends {
    private HeldBackends() {}

    private static final Map<String, Backend> BY_EXECUTOR = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    static <B extends Backend> B of(String executorId) {
        return (B) BY_EXECUTOR.get(executorId);
    }

    private static Backend remembered(BackendProvider.BackendContext context, Backend backend) {
        BY_EXECUTOR.put(context.executorId(), backend);
        return backend;
    }

    public static final class Threads implements BackendProvider {
        @Override
        public String name() {
            return "threads-held";
        }

        @Override
        public Backend create(BackendProvider.BackendContext context) {
            return remembered(context, new ThreadsBackend(context.executorId(), LocalBackendProviders.workers(context)));
        }
    }

    public static final class Processes implements BackendProvider {
        @Override
        public String name() {
            return "processes-held";
        }

        @Override
        public Backend create(BackendProvider.BackendContext context) {
            return remembered(context, new ProcessesBackend(context, LocalBackendProviders.workers(context)));
        }
    }
}

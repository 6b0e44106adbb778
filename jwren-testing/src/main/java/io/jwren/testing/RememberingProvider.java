package io.jwren.testing;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend provider for tests: it creates what {@code real} creates, under its own name, and remembers
 * each backend by executor id, so that a test can ask a backend what it still holds after its maps.
 * Register a subclass with a no-argument constructor as a service in the test's resources.
 */
public abstract class RememberingProvider implements BackendProvider {
    private static final Map<String, Backend> BY_EXECUTOR = new ConcurrentHashMap<>();

    private final String name;
    private final BackendProvider real;

    protected RememberingProvider(String name, BackendProvider real) {
        this.name = name;
        this.real = real;
    }

    /** The backend of the executor with that id, or null if none of these providers created it. */
    @SuppressWarnings("unchecked")
    public static <B extends Backend> B backendOf(String executorId) {
        return (B) BY_EXECUTOR.get(executorId);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Backend create(BackendContext context) {
        Backend backend = real.create(context);
        BY_EXECUTOR.put(context.executorId(), backend);
        return backend;
    }
}

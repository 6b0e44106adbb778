package io.jwren.spi;

import io.jwren.Config;

/**
 * Creates a backend by name. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.jwren.spi.BackendProvider}.
 */
public interface BackendProvider {
    /** The value of {@code jwren.backend} that selects it, e.g. {@code threads}. */
    String name();

    Backend create(BackendContext context);

    /**
     * Whether a user may choose it with {@code jwren.backend}: false for a backend that only serves jwren itself
     * (such as the one a Lambda worker uses to run nested maps), which error messages then do not offer.
     */
    default boolean selectable() {
        return true;
    }

    /** What the backend was created for. */
    interface BackendContext {
        Config config();

        String executorId();

        /** The storage jobs are staged in; opened on first use. */
        Storage storage();
    }
}

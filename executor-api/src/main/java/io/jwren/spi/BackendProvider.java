package io.jwren.spi;

import io.jwren.Config;

/**
 * Creates a backend by name. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.jwren.spi.BackendProvider}.
 */
public interface BackendProvider {
    /** {@return the value of {@code jwren.backend} that selects it, e.g. {@code threads}} */
    String name();

    /**
     * Creates the backend of one executor, when the executor is built.
     *
     * @param context the executor's configuration, id and storage
     * @return a new backend, owned by the executor, which closes it
     */
    Backend create(BackendContext context);

    /**
     * {@return whether error messages list it among the backends found} False for a backend that serves jwren
     * itself rather than users. It only hides the name: {@code jwren.backend} still selects it.
     */
    default boolean selectable() {
        return true;
    }

    /** What the backend was created for. */
    interface BackendContext {
        /** {@return the executor's resolved configuration} */
        Config config();

        /** {@return the executor's id, with which its job ids start} */
        String executorId();

        /** {@return the storage jobs are staged in; opened on first use} */
        Storage storage();

        /**
         * {@return the executor's signing key as base64, for a backend that {@linkplain Backend#handsSigningKey()
         * hands it to its workers} over its own channel; never to be written to storage, a command line or a log;
         * null when there is none, and the backend's jobs are then unsigned}
         */
        default String signingKey() {
            return null;
        }
    }
}

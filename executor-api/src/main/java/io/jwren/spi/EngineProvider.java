package io.jwren.spi;

import io.jwren.Config;
import io.jwren.Executor;

/**
 * Creates the executor behind {@link Executor#builder()}. The API holds no engine of its own: it finds one
 * through {@link java.util.ServiceLoader} (jwren's is in {@code io.jwren:executor-engine}, which every backend
 * artifact brings). An application never implements this.
 */
public interface EngineProvider {
    /**
     * Creates an executor. Its backend is created here; its storage is opened on first use.
     *
     * @param config the resolved configuration
     * @return a new executor
     * @throws IllegalArgumentException if no backend of the configured name is on the class path, or a setting is malformed
     */
    Executor create(Config config);
}

package io.jwren.spi;

import io.jwren.Config;
import io.jwren.Executor;

/**
 * Creates the executor behind {@link Executor#builder()}. The API holds no engine of its own: it finds one
 * through {@link java.util.ServiceLoader} (jwren's is in {@code io.jwren:executor-engine}, which every backend
 * artifact brings). An application never implements this.
 */
public interface EngineProvider {
    /** A new executor for this resolved configuration: its backend and storage are opened here or on first use. */
    Executor create(Config config);
}

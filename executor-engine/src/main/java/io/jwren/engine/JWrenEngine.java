package io.jwren.engine;

import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.spi.EngineProvider;

/** The engine {@link Executor#builder()} finds through {@link java.util.ServiceLoader}. */
public final class JWrenEngine implements EngineProvider {
    @Override
    public Executor create(Config config) {
        return new JWrenExecutor(config);
    }
}

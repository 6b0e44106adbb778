package io.jwren.core;

import io.jwren.Config;
import io.jwren.Executor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Internal: builds executors for {@link Executor#builder()}. */
public final class ExecutorFactory {
    private ExecutorFactory() {}

    public static Executor.Builder builder() {
        return new BuilderImpl();
    }

    private static final class BuilderImpl implements Executor.Builder {
        private final Map<String, String> explicit = new LinkedHashMap<>();

        @Override
        public Executor.Builder backend(String name) {
            return property("jwren.backend", name);
        }

        @Override
        public Executor.Builder storage(String uri) {
            return property("jwren.storage", uri);
        }

        @Override
        public Executor.Builder property(String key, String value) {
            if (!key.startsWith("jwren."))
                throw new IllegalArgumentException("jwren config keys start with 'jwren.', got '" + key + "'");
            explicit.put(key, value);
            return this;
        }

        @Override
        public Executor build() {
            return new JWrenExecutor(Config.resolve(explicit));
        }
    }
}

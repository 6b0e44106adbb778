package io.jwren;

import io.jwren.spi.Providers;
import io.jwren.spi.Settings;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Executor.Builder}: explicit settings over the configuration chain, handed to the engine at build. */
final class ExecutorBuilder implements Executor.Builder {
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
        if (key == null || !key.startsWith("jwren."))
            throw new IllegalArgumentException("jwren config keys start with 'jwren.', got '" + key + "'");
        explicit.put(key, value);
        return this;
    }

    @Override
    public Executor build() {
        Config config = Config.resolve(explicit);
        Settings.warnAboutUnknownKeys(config);
        return Providers.engine().create(config);
    }
}

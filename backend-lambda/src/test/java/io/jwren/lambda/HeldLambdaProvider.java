package io.jwren.lambda;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test backend "lambda-held": the lambda backend, remembered by executor id so a test can ask what it still holds. */
public final class HeldLambdaProvider implements BackendProvider {
    private static final Map<String, LambdaBackend> BY_EXECUTOR = new ConcurrentHashMap<>();
    private final LambdaBackendProvider real = new LambdaBackendProvider();

    static LambdaBackend of(String executorId) {
        return BY_EXECUTOR.get(executorId);
    }

    @Override
    public String name() {
        return "lambda-held";
    }

    @Override
    public Backend create(BackendContext context) {
        LambdaBackend backend = (LambdaBackend) real.create(context);
        BY_EXECUTOR.put(context.executorId(), backend);
        return backend;
    }
}

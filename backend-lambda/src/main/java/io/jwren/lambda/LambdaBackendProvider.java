package io.jwren.lambda;

import io.jwren.Config;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

/** {@code jwren.backend=lambda}: runs invocations on the deployed worker function. Found through ServiceLoader. */
public final class LambdaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "lambda";
    }

    @Override
    public Backend create(BackendContext context) {
        Config config = context.config();
        LambdaSettings settings = LambdaSettings.from(config);
        return new LambdaBackend(LambdaClients.async(settings), true, settings,
                config.getDuration("jwren.timeout-grace", settings.grace().plus(LambdaBackend.BACKSTOP)), context.signingKey());
    }
}

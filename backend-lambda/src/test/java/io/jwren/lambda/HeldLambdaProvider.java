package io.jwren.lambda;

import io.jwren.testing.RememberingProvider;

/** Test backend "lambda-held": the lambda backend, remembered so a test can ask what it still holds. */
public final class HeldLambdaProvider extends RememberingProvider {
    public HeldLambdaProvider() {
        super("lambda-held", new LambdaBackendProvider());
    }
}

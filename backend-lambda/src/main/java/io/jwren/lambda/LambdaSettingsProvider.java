package io.jwren.lambda;

import io.jwren.spi.Setting;
import io.jwren.spi.Setting.Kind;
import io.jwren.spi.SettingsProvider;

import java.util.List;

/** The jwren.lambda.* settings: which function the lambda backend invokes and how, and how `jwren deploy lambda` deploys it. */
public final class LambdaSettingsProvider implements SettingsProvider {
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("jwren.lambda.function", Kind.TEXT, null, "name or ARN of the deployed worker function (required)"),
                Setting.of("jwren.lambda.qualifier", Kind.TEXT, null, "the function's version or alias"),
                Setting.of("jwren.lambda.region", Kind.TEXT, null, "the function's region (default: the AWS SDK's chain)"),
                Setting.of("jwren.lambda.endpoint", Kind.URI, null, "a Lambda endpoint override (an emulator)"),
                Setting.of("jwren.lambda.max-concurrent-invokes", Kind.NUMBER, "64", "Invoke requests in flight at once"),
                Setting.of("jwren.lambda.grace", Kind.DURATION, "PT30S",
                        "how long after the function's timeout an invocation without a result counts as lost"),
                Setting.of("jwren.lambda.backoff-base", Kind.DURATION, "PT0.1S", "first wait before an Invoke is retried after throttling"),
                Setting.of("jwren.lambda.backoff-cap", Kind.DURATION, "PT10S", "longest wait between Invoke retries"),
                Setting.of("jwren.lambda.invoke-retries", Kind.NUMBER, "10", "retries of one throttled or failed Invoke request"),
                Setting.of("jwren.lambda.inline-limit", Kind.NUMBER, Long.toString(LambdaSettings.DEFAULT_INLINE_LIMIT),
                        "bytes of function + inputs up to which a job of few invocations travels in its invoke payloads "
                                + "instead of storage (0: never; at most 4000000)"),
                Setting.of("jwren.lambda.sync-invocations", Kind.NUMBER, Integer.toString(LambdaSettings.DEFAULT_SYNC_INVOCATIONS),
                        "a job within the inline limit and of at most this many invocations is invoked synchronously, "
                                + "its results coming back in the responses (0: only Event invokes)"),
                Setting.of("jwren.lambda.runtime", Kind.TEXT, LambdaDeployer.DEFAULT_RUNTIME, "the function's Java runtime"),
                Setting.of("jwren.lambda.memory", Kind.NUMBER, Integer.toString(LambdaDeployer.DEFAULT_MEMORY_MB),
                        "the function's memory in MB (also the basis of cost estimates)"),
                Setting.of("jwren.lambda.price-per-gb-s", Kind.DECIMAL, null,
                        "USD per GB-second for cost estimates (default: AWS's published x86 price)"),
                Setting.of("jwren.lambda.jar", Kind.PATH, null, "deploy: the worker jar (default: found beside jwren or in ~/.m2)"),
                Setting.of("jwren.lambda.timeout", Kind.NUMBER, "900", "deploy: the function's timeout in seconds"),
                Setting.of("jwren.lambda.role", Kind.TEXT, null, "deploy: the execution role's ARN"),
                Setting.of("jwren.lambda.architecture", Kind.TEXT, "x86_64", "deploy: x86_64 or arm64"),
                Setting.of("jwren.lambda.snap-start", Kind.BOOLEAN, "false", "deploy: turn SnapStart on, publish a version "
                        + "and point the alias " + LambdaDeployer.SNAP_START_ALIAS + " at it (invoke it with jwren.lambda.qualifier)"));
    }
}

package io.jwren.lambda;

import io.jwren.Config;
import io.jwren.spi.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code jwren.lambda.*} settings of the lambda backend, read once from the executor's config.
 *
 * @param function             name or ARN of the deployed worker function ({@code jwren.lambda.function})
 * @param qualifier            version or alias, or null ({@code jwren.lambda.qualifier})
 * @param region               AWS region, or null for the SDK's default chain ({@code jwren.lambda.region})
 * @param endpoint             Lambda endpoint override, or null ({@code jwren.lambda.endpoint})
 * @param maxConcurrentInvokes Invoke requests in flight at once ({@code jwren.lambda.max-concurrent-invokes})
 * @param grace                how long past {@code timeout × calls} an accepted invoke may stay without a
 *                             result before it counts as lost ({@code jwren.lambda.grace}; a cold start
 *                             and the storage round trips)
 * @param backoff              how throttled (429) and failed (5xx) invokes are retried
 * @param workerJavaMajor      class-file major version of the function's runtime (61 = java17)
 * @param workerConfig         the non-secret settings every payload carries to the worker
 * @param memoryMb             memory the function was deployed with ({@code jwren.lambda.memory}), for cost estimates
 * @param inlineLimit          function + inputs bytes of a small job, which travels in its payloads
 *                             ({@code jwren.lambda.inline-limit}; 0: none)
 * @param syncInvocations      invocations a small job has at most; those are invoked synchronously
 *                             ({@code jwren.lambda.sync-invocations}; 0: every invoke is an Event)
 */
record LambdaSettings(String function, String qualifier, String region, URI endpoint, int maxConcurrentInvokes,
                      Duration grace, InvokeBackoff backoff, int workerJavaMajor, Map<String, String> workerConfig,
                      int memoryMb, long inlineLimit, int syncInvocations) {
    static final long DEFAULT_INLINE_LIMIT = 3L << 20;
    static final int DEFAULT_SYNC_INVOCATIONS = 16;

    LambdaSettings {
        if (inlineLimit < 0 || inlineLimit > LambdaPayload.MAX_INLINE)
            throw new IllegalArgumentException("jwren.lambda.inline-limit must be 0 to " + LambdaPayload.MAX_INLINE
                    + " bytes (a synchronous invoke carries at most 6 MB, base64 adds a third), was " + inlineLimit);
        if (syncInvocations < 0) throw new IllegalArgumentException("jwren.lambda.sync-invocations must be 0 or more");
    }

    /** Without small jobs: every invoke an Event naming the job's objects in storage. */
    LambdaSettings(String function, String qualifier, String region, URI endpoint, int maxConcurrentInvokes,
                   Duration grace, InvokeBackoff backoff, int workerJavaMajor, Map<String, String> workerConfig, int memoryMb) {
        this(function, qualifier, region, endpoint, maxConcurrentInvokes, grace, backoff, workerJavaMajor, workerConfig,
                memoryMb, 0, 0);
    }


    static LambdaSettings from(Config config) {
        String function = config.get("jwren.lambda.function");
        if (function == null || function.isBlank())
            throw new IllegalArgumentException("jwren.backend=lambda needs jwren.lambda.function: the name or ARN of the "
                    + "deployed worker function (deploy it with: jwren deploy lambda --function NAME --role ARN --storage s3://bucket/prefix)");
        String endpoint = blankToNull(config.get("jwren.lambda.endpoint"));
        Map<String, String> forwarded = Settings.forWorkers(config);
        String runtime = config.get("jwren.lambda.runtime", LambdaDeployer.DEFAULT_RUNTIME);
        return new LambdaSettings(function, blankToNull(config.get("jwren.lambda.qualifier")),
                blankToNull(config.get("jwren.lambda.region")), endpoint == null ? null : URI.create(endpoint),
                Math.max(1, config.getInt("jwren.lambda.max-concurrent-invokes", 64)),
                config.getDuration("jwren.lambda.grace", Duration.ofSeconds(30)),
                new InvokeBackoff(config.getDuration("jwren.lambda.backoff-base", Duration.ofMillis(100)),
                        config.getDuration("jwren.lambda.backoff-cap", Duration.ofSeconds(10)),
                        config.getInt("jwren.lambda.invoke-retries", 10)),
                classFileMajor(runtime), Map.copyOf(forwarded),
                config.getInt("jwren.lambda.memory", LambdaDeployer.DEFAULT_MEMORY_MB),
                config.getInt("jwren.lambda.inline-limit", (int) DEFAULT_INLINE_LIMIT),
                config.getInt("jwren.lambda.sync-invocations", DEFAULT_SYNC_INVOCATIONS));
    }

    /** {@code java17} -> 61, {@code java21} -> 65. */
    static int classFileMajor(String runtime) {
        String digits = runtime.replaceAll("\\D", "");
        if (digits.isEmpty()) throw new IllegalArgumentException("jwren.lambda.runtime: not a Java runtime: '" + runtime + "'");
        return Integer.parseInt(digits) + 44;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

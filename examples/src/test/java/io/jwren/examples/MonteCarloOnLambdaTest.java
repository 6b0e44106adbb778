package io.jwren.examples;

import io.jwren.testing.lambda.FunctionEnvironment;
import io.jwren.testing.lambda.ServerlessOffline;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The montecarlo example on {@code jwren.backend=lambda} with nothing but configuration changed: the
 * worker jar runs as a function under serverless-offline (LAMBDA.md A), storage is S3Proxy, and the
 * settings come the way a user gives them, as {@code -Djwren.*} system properties.
 */
class MonteCarloOnLambdaTest {
    private static final String BUCKET = "jwren-montecarlo";

    @TempDir
    Path local;

    @Test
    void sameSeedGivesTheSamePointsOnThreadsAndOnLambda() throws Exception {
        String storage = "s3://" + BUCKET + "/examples";
        try (S3ProxyServer s3 = S3ProxyServer.start(null)) {
            s3.createBucket(BUCKET);
            S3ProxyServer.useAsDefaultCredentials();
            try (ServerlessOffline lambda = ServerlessOffline.start(FunctionEnvironment.forS3Proxy(storage, s3.endpoint()))) {
                Map<String, String> config = new LinkedHashMap<>();
                config.put("jwren.s3.endpoint", s3.endpoint().toString());
                config.put("jwren.s3.region", "us-east-1");
                config.put("jwren.s3.path-style", "true");
                config.put("jwren.lambda.function", lambda.functionName());
                config.put("jwren.lambda.region", lambda.region());
                config.put("jwren.lambda.endpoint", lambda.endpoint().toString());
                CliRun onLambda = CliRun.withSystemProperties(config, () -> CliRun.of("montecarlo", "--trials", "2000000",
                        "--workers", "3", "--seed", "2024", "--backend", "lambda", "--storage", storage));
                assertEquals(0, onLambda.exitCode(), () -> onLambda.transcript() + "\nserverless-offline log:\n" + lambda.logText());
                CliRun onThreads = CliRun.of("montecarlo", "--trials", "2000000", "--workers", "3", "--seed", "2024",
                        "--backend", "threads", "--storage", local.toUri().toString());
                Map<String, String> lambdaTable = MonteCarloCommandTest.parseTable(onLambda);
                assertEquals("lambda", lambdaTable.get("backend"));
                assertEquals(MonteCarloCommandTest.parseTable(onThreads).get("points"), lambdaTable.get("points"));
                System.err.println("[jwren-test] montecarlo on lambda (serverless-offline):\n" + onLambda.out());
            }
        }
    }
}

package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.testing.lambda.ServerlessOffline;
import io.jwren.local.shipping.Shapes.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded worker jar as a Lambda function under serverless-offline (LAMBDA.md A), invoked through the
 * AWS SDK's {@link LambdaClient}, with its storage in S3Proxy. The job is staged, signed, by the
 * "stage-only-signed" backend; the function finds the storage through its own environment (JWREN_* and AWS
 * credentials, as a function's configuration and role would), so payloads carry only the invocation and the
 * signing key. Each invocation starts a JVM (~1 s): keep their number small.
 */
class ServerlessOfflineWorkerTest {
    static EmulatorStorage storage;
    static ServerlessOffline lambda;
    static LambdaClient client;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws Exception {
        storage = EmulatorStorage.start("jwren-sls", "offline");
        long t0 = System.nanoTime();
        lambda = ServerlessOffline.start(storage.functionEnvironment());
        System.err.printf("[jwren-test] serverless-offline (install check + start) took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        client = LambdaClient.builder().endpointOverride(lambda.endpoint()).region(Region.of(lambda.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMinutes(2)))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lambda != null)  // the emulator's line per invocation, with its duration
            lambda.logText().lines().filter(l -> l.contains("RequestId:")).forEach(l -> System.err.println("[jwren-test] " + l));
        if (client != null) client.close();
        if (lambda != null) lambda.close();
        if (storage != null) storage.close();
    }

    /** The invocation, and the key its job is signed with, as the lambda backend sends it. */
    private static String payload(String jobId, int invocation) {
        return "{\"jobId\":\"" + jobId + "\",\"invocation\":" + invocation + ",\"signingKey\":\"" + SharedSigningKey.VALUE + "\"}";
    }

    private static InvokeResponse invoke(InvocationType type, String payload) {
        return client.invoke(b -> b.functionName(lambda.functionName()).invocationType(type)
                .payload(SdkBytes.fromUtf8String(payload)));
    }

    private static Map<?, ?> json(InvokeResponse r) {
        String body = r.payload().asUtf8String();
        assertTrue(!body.isEmpty(), "an empty payload is how serverless-offline reports a handler failure; its log:\n" + lambda.logText());
        return JSON.readValue(body, Map.class);
    }

    @Test
    void requestResponseReturnsTheHandlersMapAndTheCallsResultsDecode() throws Exception {
        try (Executor ex = storage.signingStager()) {
            MapFuture<Point> f = ex.map((Integer n) -> new Point(n, n * n), List.of(1, 2, 3, 4),
                    MapOptions.builder().chunkSize(2).build());
            for (int inv = 0; inv < 2; inv++) {
                InvokeResponse r = invoke(InvocationType.REQUEST_RESPONSE, payload(f.jobId(), inv));
                assertEquals(200, r.statusCode());
                assertNull(r.functionError(), "function error");
                Map<?, ?> response = json(r);
                assertEquals("ok", response.get("status"), response.toString());
                assertEquals(f.jobId(), response.get("jobId"));
                assertEquals(inv, response.get("invocation"));
                assertEquals(2, response.get("calls"));
                assertEquals(0, response.get("failed"));
            }
            assertEquals(List.of(new Point(1, 1), new Point(2, 4), new Point(3, 9), new Point(4, 16)), f.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void anEventInvokeAnswers202AndItsResultArrivesInStorage() throws Exception {
        String jobId;
        try (Executor ex = storage.signingStager()) {
            jobId = ex.map((Integer n) -> "event " + n, List.of(5, 6, 7), MapOptions.builder().chunkSize(3).build()).jobId();
        }
        long t0 = System.nanoTime();
        InvokeResponse r = invoke(InvocationType.EVENT, payload(jobId, 0));
        assertEquals(202, r.statusCode());
        System.err.printf("[jwren-test] Event invoke answered in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        // The handler really runs: its result object is written to S3Proxy (watched at the server).
        String resultKey = "offline/jobs/" + jobId + "/results/0";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (storage.s3.operations().stream().noneMatch(o -> o.kind().equals("PUT") && o.key().equals(resultKey))) {
            assertTrue(System.nanoTime() < deadline, () -> "no PUT of " + resultKey + "; serverless-offline log:\n" + lambda.logText());
            Thread.sleep(50);
        }
        System.err.printf("[jwren-test] Event invoke to result object: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("", r.payload() == null ? "" : r.payload().asUtf8String());
        // A fresh client attaches to the job and finds the result object by listing storage.
        try (Executor ex = storage.signingStager()) {
            MapFuture<String> attached = ex.attach(jobId);
            assertEquals(List.of("event 5", "event 6", "event 7"), attached.get(90, TimeUnit.SECONDS),
                    () -> "no result; serverless-offline log:\n" + lambda.logText());
        }
        System.err.printf("[jwren-test] Event invoke to results read: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void aHandlerExceptionComesBackAs200WithAnEmptyPayload() {
        // The emulator's known behaviour (LAMBDA.md): no X-Amz-Function-Error, no body. A client must
        // treat an empty RequestResponse payload as a failure.
        InvokeResponse r = invoke(InvocationType.REQUEST_RESPONSE, payload("no-such-job", 0));
        assertEquals(200, r.statusCode());
        assertEquals("", r.payload().asUtf8String());
        assertTrue(lambda.logText().contains("job manifest 'jobs/no-such-job/manifest' is missing"), lambda.logText());
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        assertThrows(ResourceNotFoundException.class, () -> client.invoke(b -> b.functionName("jwren-test-nothing")
                .payload(SdkBytes.fromUtf8String("{}"))));
    }
}

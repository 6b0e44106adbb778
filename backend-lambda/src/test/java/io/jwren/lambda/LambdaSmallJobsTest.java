package io.jwren.lambda;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.testing.RememberingProvider;
import io.jwren.testing.lambda.LoopbackInvokeSink;
import io.jwren.testing.lambda.LoopbackInvokeSink.Reply;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.worker.LambdaHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small jobs on {@code jwren.backend=lambda}: their function and inputs travel in the invoke payloads and the invokes
 * are synchronous, the result object coming back in the answer. The loopback sink stands in for Lambda and runs the
 * worker's real {@link LambdaHandler} on the payload it received, through JSON, before it answers (as Lambda runs a
 * RequestResponse invoke); storage is S3Proxy, whose every operation is counted. The sink can also throttle, fail the
 * function, or run it and never answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaSmallJobsTest {
    private static final String BUCKET = "jwren-small";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final S3ProxyServer s3;
    private final LoopbackInvokeSink sink;
    private final ExecutorService eventRuns = Executors.newFixedThreadPool(2);
    /** Invocation types of the invokes the sink received, in order. */
    private final List<String> types = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> payloads = new CopyOnWriteArrayList<>();
    private final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean holdAnswers;
    private final CountDownLatch release = new CountDownLatch(1);
    @TempDir
    Path cache;

    LambdaSmallJobsTest() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        S3ProxyServer.useAsDefaultCredentials();
        sink = LoopbackInvokeSink.start(this::reply, 4);
    }

    @BeforeEach
    void reset() {
        types.clear();
        payloads.clear();
        handlerFailures.clear();
        throttleNext.set(0);
        failNext.set(0);
        holdAnswers = false;
    }

    @AfterAll
    void stop() throws Exception {
        release.countDown();
        sink.close();
        eventRuns.shutdownNow();
        s3.close();
    }

    @SuppressWarnings("unchecked")
    private Reply reply(String function, String type, byte[] body) {
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return Reply.status(429);
        types.add(type);
        Map<String, Object> payload = JSON.readValue(body, Map.class);
        payloads.add(payload);
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return Reply.functionError("java.lang.OutOfMemoryError", "Java heap space");
        if (type.equals("Event")) {
            eventRuns.execute(() -> run(payload));
            return Reply.status(202);
        }
        Map<String, Object> answer = run(payload);
        if (answer == null) return Reply.functionError("io.jwren.StorageException", "the handler threw");
        if (holdAnswers) {
            try {
                release.await(); // ran, stored its result, and never answers: the client gives up on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Reply.answer(JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> run(Map<String, Object> payload) {
        try {
            return new LambdaHandler().handleRequest(payload, null);
        } catch (Throwable t) {
            handlerFailures.add(t);
            return null;
        }
    }

    private Executor executor(String prefix, Map<String, String> extra) {
        // "lambda-held": the lambda backend, remembered so that a test can ask it what it did
        Executor.Builder b = Executor.builder().backend("lambda-held").storage("s3://" + BUCKET + "/" + prefix)
                .property("jwren.s3.endpoint", s3.endpoint().toString())
                .property("jwren.s3.region", "us-east-1")
                .property("jwren.s3.path-style", "true")
                .property("jwren.worker.cache", cache.toString())
                .property("jwren.lambda.function", "jwren-worker")
                .property("jwren.lambda.region", "us-east-1")
                .property("jwren.lambda.endpoint", sink.endpoint().toString())
                .property("jwren.lambda.backoff-base", "PT0.005S")
                .property("jwren.lambda.backoff-cap", "PT0.05S");
        extra.forEach(b::property);
        return b.build();
    }

    private List<CountingBlobStore.Operation> operations(Predicate<CountingBlobStore.Operation> which) {
        return s3.operations().stream().filter(which).toList();
    }

    private static String describe(List<CountingBlobStore.Operation> ops) {
        return ops.stream().map(o -> o.kind() + " " + o.key()).toList().toString();
    }

    @Test
    void aWarmSubmitIsOneSynchronousInvokeTheManifestPutAndTheWorkersResultPut() throws Exception {
        try (Executor ex = executor("submit", Map.of())) {
            assertEquals(41L, ex.submit(Functions.constant(41)).get(60, TimeUnit.SECONDS)); // uploads the bundles
            s3.resetOperations();
            long invokesBefore = sink.requests();
            CallFuture<Long> f = ex.submit(Functions.constant(42));
            assertEquals(42L, f.get(60, TimeUnit.SECONDS));
            String job = "submit/jobs/" + payloads.get(payloads.size() - 1).get("jobId") + "/";
            List<CountingBlobStore.Operation> ops = s3.operations();
            assertEquals(List.of("PUT " + job + "manifest", "PUT " + job + "results/0"),
                    ops.stream().map(o -> o.kind() + " " + o.key()).sorted().toList(),
                    "the client puts the manifest, the worker its result; nothing else: " + describe(ops));
            assertEquals(1, sink.requests() - invokesBefore, "one invoke");
            assertEquals("RequestResponse", types.get(types.size() - 1));
            Map<String, Object> payload = payloads.get(payloads.size() - 1);
            assertEquals(true, payload.get("returnResult"));
            assertTrue(payload.get("inline") instanceof String, "the job travels in the payload: " + payload.keySet());
            // the key travels beside it, and the job is signed: the manifest the client put vouches for its bundles
            assertTrue(payload.get("signingKey") instanceof String, "the key travels in the payload: " + payload.keySet());
            byte[] manifest;
            try (java.io.InputStream in = ex.storage().get("jobs/" + payload.get("jobId") + "/manifest")) {
                manifest = in.readAllBytes();
            }
            assertTrue(io.jwren.engine.protocol.Manifest.carriesSignature(manifest), new String(manifest, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(List.of(), handlerFailures);
        }
    }

    @Test
    void aSmallMapSendsEachInvocationOnlyItsOwnInputsAndListsNothing() throws Exception {
        List<Integer> inputs = IntStream.range(0, 10).boxed().toList();
        try (Executor ex = executor("map", Map.of())) {
            MapFuture<Integer> f = ex.map(Functions.plus(1000), inputs, MapOptions.builder().chunkSize(3).build());
            assertEquals(inputs.stream().map(x -> x + 1000).toList(), f.get(60, TimeUnit.SECONDS));
            assertEquals(List.of("RequestResponse", "RequestResponse", "RequestResponse", "RequestResponse"), types);
            for (Map<String, Object> p : payloads) {
                assertEquals(0, p.get("inputOffset"), "offsets index the payload's own inputs: " + p);
                byte[] inline = Base64.getDecoder().decode((String) p.get("inline"));
                int inputsLength = ((Number) p.get("inputLength")).intValue();
                // JWI1, then manifest, function and inputs with their lengths: the inputs are this invocation's only
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(inline, 4, inline.length - 4);
                for (int part = 0; part < 2; part++) { // manifest, function
                    int length = b.getInt();
                    b.position(b.position() + length);
                }
                assertEquals(inputsLength, b.getInt(), "invocation " + p.get("invocation") + " carries its inputs only");
            }
            String job = "map/jobs/" + f.jobId() + "/";
            List<CountingBlobStore.Operation> jobOps = operations(o -> o.key().startsWith(job));
            assertEquals(List.of(), jobOps.stream().filter(o -> !o.kind().equals("PUT")).toList(),
                    "no listing, no read of the job's objects or results: " + describe(jobOps));
            assertEquals(List.of(job + "manifest", job + "results/0", job + "results/1", job + "results/2", job + "results/3"),
                    jobOps.stream().map(CountingBlobStore.Operation::key).sorted().toList());
            LambdaBackend backend = RememberingProvider.backendOf(ex.id());
            assertEquals(0, backend.syncInvokesInFlight());
        }
    }

    @Test
    void aMapOfMoreInvocationsThanTheSyncLimitIsStoredAndInvokedAsEvents() throws Exception {
        List<Integer> inputs = IntStream.range(0, 6).boxed().toList();
        try (Executor ex = executor("big", Map.of("jwren.lambda.sync-invocations", "2"))) {
            MapFuture<Integer> f = ex.map(Functions.plus(7), inputs, MapOptions.builder().chunkSize(2).build());
            assertEquals(inputs.stream().map(x -> x + 7).toList(), f.get(60, TimeUnit.SECONDS));
            assertEquals(List.of("Event", "Event", "Event"), types);
            for (Map<String, Object> p : payloads) assertFalse(p.containsKey("inline"), p.toString());
            String job = "big/jobs/" + f.jobId() + "/";
            assertFalse(operations(o -> o.kind().equals("LIST") && o.key().startsWith(job)).isEmpty(),
                    "completion of Event invokes is learnt by listing results");
            assertEquals(1, operations(o -> o.kind().equals("PUT") && o.key().equals(job + "function")).size());
        }
    }

    @Test
    void anAnswerThatNeverComesIsFoundInStorageWithoutRunningTheCallAgain() throws Exception {
        holdAnswers = true;
        // The answer is awaited timeout x calls + grace = 2 s; the engine's own timer is 5 s later.
        try (Executor ex = executor("held-answer", Map.of("jwren.lambda.grace", "PT1S"))) {
            MapFuture<Integer> f = ex.map(Functions.plus(5), List.of(1), MapOptions.builder().timeout(Duration.ofSeconds(1)).build());
            assertEquals(List.of(6), f.get(60, TimeUnit.SECONDS));
            assertEquals(1, types.size(), "invoked once: " + types);
            String result = "held-answer/jobs/" + f.jobId() + "/results/0";
            assertEquals(1, operations(o -> o.kind().equals("GET") && o.key().equals(result)).size(),
                    "the result object is read from storage");
            assertEquals(0, f.stats().retried(), "not run again: " + f.stats());
        }
    }

    @Test
    void aFunctionErrorRunsTheInvocationAgainAsTheNextAttempt() throws Exception {
        failNext.set(1);
        try (Executor ex = executor("fn-error", Map.of())) {
            MapFuture<Integer> f = ex.map(Functions.plus(1), List.of(1), MapOptions.builder().retries(1).build());
            assertEquals(List.of(2), f.get(60, TimeUnit.SECONDS));
            assertEquals(2, payloads.size(), "the failed invoke and its retry: " + payloads);
            assertEquals(List.of(0, 1), payloads.stream().map(p -> ((Number) p.get("attempt")).intValue()).toList());
            assertEquals(1, f.stats().retried(), f.stats().toString());
        }
    }

    @Test
    void aThrottledSynchronousInvokeIsSentAgainWithoutSpendingARetry() throws Exception {
        throttleNext.set(3);
        try (Executor ex = executor("throttled", Map.of())) {
            assertEquals(9L, ex.submit(Functions.constant(9)).get(60, TimeUnit.SECONDS));
            assertEquals(List.of(0), payloads.stream().map(p -> ((Number) p.get("attempt")).intValue()).toList());
            LambdaBackend backend = RememberingProvider.backendOf(ex.id());
            assertEquals(3, backend.invokesRetried());
        }
    }

    @Test
    void aResultTooBigForTheAnswerIsReadFromStorage() throws Exception {
        int size = LambdaHandler_RESULT_LIMIT + 100_000;
        try (Executor ex = executor("big-result", Map.of())) {
            MapFuture<byte[]> f = ex.map(Functions.bytes(size), List.of(3));
            byte[] got = f.get(120, TimeUnit.SECONDS).get(0);
            byte[] expected = new byte[size];
            java.util.Arrays.fill(expected, (byte) 3);
            assertArrayEquals(expected, got);
            String result = "big-result/jobs/" + f.jobId() + "/results/0";
            assertEquals(1, operations(o -> o.kind().equals("GET") && o.key().equals(result)).size());
            assertEquals(List.of("RequestResponse"), types);
        }
    }

    /** {@code LambdaHandler.RESULT_IN_ANSWER_LIMIT}, package-private in the worker's package. */
    private static final int LambdaHandler_RESULT_LIMIT = 4_000_000;
}

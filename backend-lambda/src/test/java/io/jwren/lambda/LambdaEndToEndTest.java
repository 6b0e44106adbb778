package io.jwren.lambda;

import io.jwren.testing.lambda.LoopbackInvokeSink;
import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.WorkerLostException;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.testing.RememberingProvider;
import io.jwren.worker.LambdaHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole maps with {@code jwren.backend=lambda}, through S3Proxy, without an emulator: the loopback sink
 * answers the Invoke API and, for each invoke it accepts, runs the worker's real
 * {@link LambdaHandler#handleRequest} on a thread of its own with the JSON payload it received, as
 * Lambda would run the function. It can throttle a seeded share of invokes (429), run some twice (as
 * Lambda's own async retries do) or accept an invocation and never run it (a lost one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaEndToEndTest {
    private static final String BUCKET = "jwren-lambda";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final S3ProxyServer s3;
    private final LoopbackInvokeSink sink;
    private final ExecutorService functions = Executors.newFixedThreadPool(4);
    private final Random random = new Random(11);
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger ranTwice = new AtomicInteger();
    private final List<Throwable> handlerFailures = new CopyOnWriteArrayList<>();
    /** Attempts the sink accepted, per "jobId/invocation". */
    private final Map<String, List<Integer>> accepted = new ConcurrentHashMap<>();
    private volatile double throttleShare;
    private volatile double duplicateShare;
    private volatile int dropInvocation = -1;

    LambdaEndToEndTest() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        S3ProxyServer.useAsDefaultCredentials(); // the client, the Lambda client and the "function" find them
        sink = LoopbackInvokeSink.start(this::respond, 4);
    }

    @BeforeEach
    void reset() {
        throttleShare = 0;
        duplicateShare = 0;
        dropInvocation = -1;
        throttled.set(0);
        ranTwice.set(0);
        handlerFailures.clear();
    }

    @AfterAll
    void stop() throws Exception {
        sink.close();
        functions.shutdownNow();
        s3.close();
    }

    private int respond(String function, byte[] body) {
        if (!function.equals("jwren-worker")) return 404;
        double r;
        synchronized (random) {
            r = random.nextDouble();
        }
        if (r < throttleShare) {
            throttled.incrementAndGet();
            return 429;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = JSON.readValue(body, Map.class);
        int number = ((Number) payload.get("invocation")).intValue();
        accepted.computeIfAbsent(payload.get("jobId") + "/" + number, k -> new CopyOnWriteArrayList<>())
                .add(((Number) payload.get("attempt")).intValue());
        if (number == dropInvocation) return 202; // accepted, never run
        int runs = r > 1 - duplicateShare ? 2 : 1;
        if (runs == 2) ranTwice.incrementAndGet();
        for (int i = 0; i < runs; i++) {
            functions.submit(() -> {
                try {
                    new LambdaHandler().handleRequest(payload, null);
                } catch (Throwable t) {
                    handlerFailures.add(t);
                }
            });
        }
        return 202;
    }

    private Executor executor(String prefix, Map<String, String> extra) {
        Executor.Builder b = Executor.builder().backend("lambda").storage("s3://" + BUCKET + "/" + prefix)
                .property("jwren.s3.endpoint", s3.endpoint().toString())
                .property("jwren.s3.region", "us-east-1")
                .property("jwren.s3.path-style", "true")
                .property("jwren.lambda.function", "jwren-worker")
                .property("jwren.lambda.region", "us-east-1")
                .property("jwren.lambda.endpoint", sink.endpoint().toString())
                .property("jwren.lambda.backoff-base", "PT0.005S")
                .property("jwren.lambda.backoff-cap", "PT0.1S")
                .property("jwren.lambda.invoke-retries", "30")
                // Event invokes only: these maps check Lambda's asynchronous path (LambdaSmallJobsTest the other)
                .property("jwren.lambda.sync-invocations", "0");
        extra.forEach(b::property);
        return b.build();
    }

    @Test
    void aMapCompletesThroughThrottlingAndDuplicateRunsWithEveryResultOnce() throws Exception {
        throttleShare = 0.3;
        duplicateShare = 0.3;
        List<Long> seeds = LongStreamOf(120);
        try (Executor ex = executor("e2e", Map.of())) {
            MapFuture<Double> f = ex.map(Functions.piEstimate(), seeds, MapOptions.builder().chunkSize(4).build());
            List<Double> got = f.get(120, TimeUnit.SECONDS);
            assertEquals(seeds.stream().map(Functions::estimatePi).toList(), got, "same as computed here, in order");
            assertTrue(throttled.get() > 0, "no invoke was throttled");
            assertTrue(ranTwice.get() > 0, "no invocation ran twice");
            for (int n = 0; n < 30; n++) {
                assertEquals(List.of(0), accepted.get(f.jobId() + "/" + n), "invocation " + n + " accepted once, attempt 0");
            }
            long resultKeys = s3.operations().stream()
                    .filter(o -> o.kind().equals("PUT") && o.key().startsWith("e2e/jobs/" + f.jobId() + "/results/"))
                    .map(o -> o.key()).distinct().count();
            assertEquals(30, resultKeys, "one result object per invocation");
            assertEquals(List.of(), handlerFailures);
            JobStats stats = f.stats();
            assertEquals(1769, stats.memoryMb(), "the deployed function's memory (jwren.lambda.memory default), not jwren.memory");
            double gbs = stats.gbSeconds().orElseThrow(() -> new AssertionError("lambda jobs are billed per GB-second"));
            assertTrue(gbs > 0, "GB-seconds " + gbs);
            assertEquals(gbs * 0.0000166667, stats.estimatedCostUsd().orElseThrow(), 1e-12);
            assertTrue(stats.toString().contains("GB-s at 1769 MB"), stats.toString());
            System.out.printf("lambda e2e: %d invokes throttled (429) and retried, %d invocations ran twice, %d calls right%n",
                    throttled.get(), ranTwice.get(), got.size());
        }
    }

    @Test
    void aUserExceptionArrivesWithItsClassAndMessage() throws Exception {
        try (Executor ex = executor("errors", Map.of())) {
            MapFuture<Integer> f = ex.map(Functions.doubleButThrowOn(3), List.of(1, 2, 3, 4), MapOptions.builder().chunkSize(2).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("bad input 3", cause.getMessage());
            assertEquals(4, f.calls().get(1).get());
            assertEquals(8, f.calls().get(3).get());
        }
    }

    @Test
    void anInvocationAcceptedButNeverRunIsInvokedAgainThenItsCallsFailAsLost() throws Exception {
        // An invocation's budget is timeout x its calls + grace (1.5 s of the 3 s here). The dropped one is the
        // last, with 1 call: it is found lost 2.5 s after each invoke. The two healthy ones have 10 calls each,
        // so they have 11.5 s to deliver their results even on a loaded machine, and are never invoked again.
        dropInvocation = 2;
        try (Executor ex = executor("lost", Map.of("jwren.timeout-grace", "PT3S"))) {
            List<Integer> inputs = IntStream.rangeClosed(0, 20).boxed().toList();
            MapFuture<Integer> f = ex.map(Functions.plus(100), inputs,
                    MapOptions.builder().chunkSize(10).timeout(Duration.ofSeconds(1)).retries(1).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(120, TimeUnit.SECONDS));
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertTrue(lost.getMessage().contains("no result from Lambda function jwren-worker"), lost.getMessage());
            assertEquals(20, lost.callIndex());
            assertEquals(List.of(0, 1), accepted.get(f.jobId() + "/2"), "invoked again with attempt + 1, then given up");
            for (int i = 0; i < 20; i++) assertEquals(100 + i, f.calls().get(i).get(), "call " + i);
            assertEquals(List.of(0), accepted.get(f.jobId() + "/0"));
            assertEquals(List.of(0), accepted.get(f.jobId() + "/1"));
        }
    }

    @Test
    void theBackendHoldsNothingForMapsThatHaveEnded() throws Exception {
        int maps = 40;
        try (Executor ex = executor("held", Map.of("jwren.backend", "lambda-held"))) {
            List<MapFuture<Integer>> futures = new ArrayList<>();
            for (int m = 0; m < maps; m++) {
                futures.add(ex.map(Functions.plus(m), List.of(1, 2), MapOptions.builder().chunkSize(1).build()));
            }
            for (int m = 0; m < maps; m++) assertEquals(List.of(1 + m, 2 + m), futures.get(m).get(120, TimeUnit.SECONDS));
            LambdaBackend backend = RememberingProvider.backendOf(ex.id());
            // the engine tells the backend a map ended just after its last call completes: wait for that
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (backend.heldJobs() > 0 && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            assertEquals(0, backend.heldJobs(), "jobs still held after " + maps + " maps ended");
            assertEquals(0, backend.pendingLossChecks(), "loss checks (10 minutes each) outlive their maps");
        }
    }

    @Test
    void anUnknownFunctionFailsTheCallsWithTheReason() {
        try (Executor ex = executor("nofn", Map.of("jwren.lambda.function", "no-such-function"))) {
            MapFuture<Integer> f = ex.map(Functions.plus(0), List.of(1), MapOptions.builder().retries(0).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertTrue(lost.getMessage().contains("ResourceNotFoundException"), lost.getMessage());
        }
    }

    private static List<Long> LongStreamOf(int n) {
        List<Long> seeds = new ArrayList<>(n);
        IntStream.range(0, n).forEach(i -> seeds.add(1000L + i));
        return seeds;
    }
}

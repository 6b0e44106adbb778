package io.jwren.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.ProtocolException;
import io.jwren.StorageException;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.spi.Invocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole maps through S3Proxy whose invocations run in {@link LambdaHandler}, fed the payloads a Lambda
 * backend sends (through JSON, with a null Context as serverless-offline may give), and the handler's
 * own rules: warm state, credentials refused, storage failures thrown for Lambda to retry.
 */
class LambdaHandlerTest {
    static S3ProxyServer s3;
    @TempDir
    static Path cache;
    static Executor ex;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket("jwren-lambda");
        S3ProxyServer.useAsDefaultCredentials();
        ex = Executor.builder().backend("lambda-handler").storage("s3://jwren-lambda/fn")
                .property("jwren.s3.endpoint", s3.endpoint().toString())
                .property("jwren.worker.cache", cache.toString()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ex != null) ex.close();
        s3.close();
    }

    private static List<Map<String, Object>> responses(String jobId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : HandlerBackendProvider.RESPONSES) if (jobId.equals(r.get("jobId"))) out.add(r);
        return out;
    }

    private static Map<String, String> storageConfig() {
        return Map.of("jwren.storage", "s3://jwren-lambda/fn", "jwren.s3.endpoint", s3.endpoint().toString(),
                "jwren.worker.cache", cache.toString());
    }

    @Test
    void aMapRunsInTheHandlerAndItsResponsesCountTheCalls() throws Exception {
        List<Integer> inputs = IntStream.rangeClosed(1, 50).boxed().toList();
        MapFuture<Long> f = ex.map((Integer x) -> (long) x * x * x, inputs, MapOptions.builder().chunkSize(7).build());
        assertEquals(inputs.stream().map(x -> (long) x * x * x).toList(), f.get(60, TimeUnit.SECONDS));

        List<Map<String, Object>> rs = responses(f.jobId());
        assertEquals(8, rs.size(), "one response per invocation: " + rs);
        assertEquals(50, rs.stream().mapToInt(r -> (Integer) r.get("calls")).sum());
        for (Map<String, Object> r : rs) {
            assertEquals("ok", r.get("status"), r.toString());
            assertEquals(r.get("calls"), r.get("ok"), r.toString());
            assertEquals(0, r.get("failed"), r.toString());
            assertEquals(0, r.get("attempt"), r.toString());
            assertFalse(((String) r.get("workerId")).isBlank(), r.toString());
            assertTrue((Long) r.get("millis") >= 0, r.toString());
        }
    }

    @Test
    void aUserExceptionReachesGetWithItsClassAndMessage() {
        MapFuture<Integer> f = ex.map((Integer x) -> {
            if (x == 3) throw new IllegalStateException("three is right out");
            return x;
        }, List.of(1, 2, 3, 4, 5), MapOptions.builder().chunkSize(2).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause(), String.valueOf(e.getCause()));
        assertEquals("three is right out", e.getCause().getMessage());
        Map<String, Object> second = responses(f.jobId()).stream().filter(r -> r.get("invocation").equals(1)).findFirst().orElseThrow();
        assertEquals("errors", second.get("status"));
        assertEquals(1, second.get("ok"));
        assertEquals(1, second.get("failed"));
    }

    @Test
    void aSecondJobWithTheSameCodeRunsOnTheWarmStorageAndFetchesNoBundle() throws Exception {
        MapOptions options = MapOptions.builder().chunkSize(4).build();
        List<Integer> inputs = IntStream.range(0, 12).boxed().toList();
        assertEquals(12, ex.map((Integer x) -> x + 100, inputs, options).get(60, TimeUnit.SECONDS).size());
        int warmBefore = LambdaHandler.warmStorages();
        List<Path> cachedBundles;
        try (Stream<Path> files = Files.list(cache)) {
            cachedBundles = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertFalse(cachedBundles.isEmpty(), "the first job's bundles are cached on disk in " + cache);

        s3.resetOperations();
        MapFuture<Integer> second = ex.map((Integer x) -> x + 100, inputs, options);
        assertEquals(IntStream.range(100, 112).boxed().toList(), second.get(60, TimeUnit.SECONDS));
        List<Map<String, Object>> rs = responses(second.jobId());
        assertEquals(3, rs.size());
        for (Map<String, Object> r : rs) assertEquals(true, r.get("warm"), "a warm container: " + r);
        assertEquals(warmBefore, LambdaHandler.warmStorages(), "no storage opened for the second job");
        List<CountingBlobStore.Operation> bundleReads = s3.operations().stream()
                .filter(o -> o.key().startsWith("fn/classes/") && o.kind().equals("GET")).toList();
        assertEquals(List.of(), bundleReads, "bundles come from the warm class loader and the disk cache");
    }

    @Test
    void aPayloadWithOnlyJobAndNumberTakesItsCallsFromTheManifest() throws Exception {
        MapFuture<Integer> f = ex.map((Integer x) -> -x, List.of(1, 2, 3, 4, 5), MapOptions.builder().chunkSize(2).build());
        f.get(60, TimeUnit.SECONDS);
        Map<String, Object> r = new LambdaHandler().handleRequest(HandlerBackendProvider.viaJson(
                Map.of("jobId", f.jobId(), "invocation", 2, "config", storageConfig())), null);
        assertEquals(1, r.get("calls"), "the last invocation of 5 calls at chunk 2 has one: " + r);
        assertEquals("ok", r.get("status"));
    }

    @Test
    void aPayloadWithAnotherKeyThanTheJobsIsRefusedBeforeAnythingIsRead() throws Exception {
        MapFuture<Integer> f = ex.map((Integer x) -> x * 10, List.of(1, 2), MapOptions.builder().chunkSize(2).build());
        assertEquals(List.of(10, 20), f.get(60, TimeUnit.SECONDS), "signed, and run with the executor's key");
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, Object> r = new LambdaHandler().handleRequest(HandlerBackendProvider.payload(
                new Invocation(f.jobId(), 0, 0, 2, 1, -1, -1), storageConfig(), otherKey), null);
        assertEquals("errors", r.get("status"), r.toString());
        assertEquals(2, r.get("failed"), r.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LambdaHandler().handleRequest(
                HandlerBackendProvider.payload(new Invocation(f.jobId(), 0, 0, 2, 1, -1, -1), storageConfig(), "not base64!"), null));
        assertFalse(e.getMessage().contains("not base64!"), "a key is never echoed: " + e.getMessage());
    }

    @Test
    void aMissingJobFailsItsCallsAndIsNotThrown() {
        Map<String, Object> r = new LambdaHandler().handleRequest(HandlerBackendProvider.payload(
                new Invocation("nope-M000", 0, 0, 3, 0, -1, -1), storageConfig()), nullLoggerContext());
        assertEquals("errors", r.get("status"));
        assertEquals(3, r.get("failed"));
    }

    @Test
    void unreachableStorageIsThrownSoLambdaRetries() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Map<String, String> config = Map.of("jwren.storage", "s3://jwren-lambda/fn",
                "jwren.s3.endpoint", "http://127.0.0.1:" + closedPort, "jwren.s3.max-attempts", "1");
        StorageException e = assertThrows(StorageException.class, () -> new LambdaHandler().handleRequest(
                HandlerBackendProvider.payload(new Invocation("any-M000", 0, 0, 1, 0, -1, -1), config), null));
        assertFalse(e instanceof ProtocolException, e.toString());
    }

    @Test
    void credentialsInThePayloadAreRefusedWithoutEchoingThem() {
        for (String key : List.of("aws.secretAccessKey", "jwren.s3.secret-key", "jwren.s3.session-token", "AWS.accessKeyId")) {
            Map<String, Object> payload = HandlerBackendProvider.payload(new Invocation("any-M000", 0, 0, 1, 0, -1, -1),
                    Map.of(key, "SUPERSECRET"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LambdaHandler().handleRequest(payload, null));
            assertTrue(e.getMessage().contains("'" + key + "' looks like a credential"), e.getMessage());
            assertFalse(e.getMessage().contains("SUPERSECRET"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LambdaHandler.settings(Map.of("storage", "s3://b/p")));
        assertEquals(Map.of("jwren.s3.path-style", "true", "jwren.s3.max-attempts", "3"),
                LambdaHandler.settings(Map.of("jwren.s3.path-style", true, "jwren.s3.max-attempts", 3)));
    }

    @Test
    void aContextWithALoggerGetsOneLinePerInvocation() throws Exception {
        MapFuture<Integer> f = ex.map((Integer x) -> x, List.of(7), MapOptions.defaults());
        f.get(60, TimeUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        LambdaLogger logger = (LambdaLogger) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {LambdaLogger.class}, (p, m, args) -> {
                    if (m.getName().equals("log") && args[0] instanceof String s) lines.add(s);
                    return null;
                });
        new LambdaHandler().handleRequest(HandlerBackendProvider.payload(new Invocation(f.jobId(), 0, 0, 1, 1, -1, -1),
                storageConfig()), context(logger));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("jobId=" + f.jobId()) && lines.get(0).contains("attempt=1"), lines.get(0));
    }

    /** A Context whose every getter answers null or 0, as serverless-offline's getLogger() does. */
    private static Context nullLoggerContext() {
        return context(null);
    }

    private static Context context(LambdaLogger logger) {
        return (Context) Proxy.newProxyInstance(LambdaHandlerTest.class.getClassLoader(), new Class<?>[] {Context.class},
                (p, m, args) -> m.getName().equals("getLogger") ? logger : m.getReturnType() == int.class ? 0 : null);
    }
}

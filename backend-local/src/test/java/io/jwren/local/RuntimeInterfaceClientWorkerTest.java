package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.testing.lambda.RuntimeApiEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker jar's Lambda handler under the official AWS Lambda runtime interface client, polling a
 * Runtime API emulator (LAMBDA.md B), two worker JVMs, storage in S3Proxy: the handler as Lambda itself
 * runs it (its serialization of Map payloads and responses, its error reporting).
 */
class RuntimeInterfaceClientWorkerTest {
    static EmulatorStorage storage;
    static RuntimeApiEmulator lambda;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws Exception {
        storage = EmulatorStorage.start("jwren-ric", "ric");
        lambda = RuntimeApiEmulator.start(2, storage.functionEnvironment());
    }

    @AfterAll
    static void stop() throws Exception {
        if (lambda != null) lambda.close();
        if (storage != null) storage.close();
    }

    @Test
    void concurrentInvocationsRunOnBothWorkersAndTheirResultsDecode() throws Exception {
        try (Executor ex = storage.stager()) {
            List<Integer> inputs = IntStream.rangeClosed(1, 8).boxed().toList();
            MapFuture<Long> f = ex.map((Integer n) -> (long) n * n * n, inputs, MapOptions.builder().chunkSize(2).build());
            List<CompletableFuture<RuntimeApiEmulator.Response>> calls = IntStream.range(0, 4)
                    .mapToObj(inv -> CompletableFuture.supplyAsync(() -> lambda.invoke(
                            "{\"jobId\":\"" + f.jobId() + "\",\"invocation\":" + inv + "}", Duration.ofMinutes(2))))
                    .toList();
            Set<Object> workers = new HashSet<>();
            for (int inv = 0; inv < 4; inv++) {
                RuntimeApiEmulator.Response r = calls.get(inv).get(3, TimeUnit.MINUTES);
                assertEquals(200, r.status(), () -> r.body() + "\n" + lambda.workerLogs());
                Map<?, ?> response = JSON.readValue(r.body(), Map.class);
                assertEquals("ok", response.get("status"), response.toString());
                assertEquals(inv, response.get("invocation"));
                assertEquals(2, response.get("calls"));
                workers.add(response.get("workerId"));
            }
            assertEquals(inputs.stream().map(n -> (long) n * n * n).toList(), f.get(60, TimeUnit.SECONDS));
            assertTrue(Set.of("jwren-ric-0", "jwren-ric-1").containsAll(workers), workers.toString());
        }
    }

    @Test
    void aHandlerExceptionIsReportedThroughTheRuntimeApiAndTheWorkerGoesOn() throws Exception {
        RuntimeApiEmulator.Response r = lambda.invoke("{\"jobId\":\"no-such-job\",\"invocation\":0}", Duration.ofMinutes(2));
        assertEquals(500, r.status(), r.body());
        assertTrue(r.body().contains("no-such-job"), r.body());
        assertTrue(lambda.workersAlive(), lambda.workerLogs());
        // and a later invocation is served
        try (Executor ex = storage.stager()) {
            MapFuture<String> f = ex.map((String s) -> s.toUpperCase(), List.of("after", "error"),
                    MapOptions.builder().chunkSize(2).build());
            RuntimeApiEmulator.Response ok = lambda.invoke("{\"jobId\":\"" + f.jobId() + "\",\"invocation\":0}", Duration.ofMinutes(2));
            assertEquals(200, ok.status(), ok.body());
            assertEquals(List.of("AFTER", "ERROR"), f.get(60, TimeUnit.SECONDS));
        }
    }
}

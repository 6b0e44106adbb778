package io.jwren.examples;

import io.jwren.Executor;
import io.jwren.testing.lambda.LoopbackInvokeSink;
import io.jwren.testing.lambda.LoopbackInvokeSink.Reply;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.worker.LambdaHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What one warm {@code submit} costs on the lambda backend in storage requests and invokes. The loopback sink stands
 * in for Lambda and answers like the worker function: it runs the worker's real {@link LambdaHandler} in this JVM on
 * the payload it received, before it answers a synchronous invoke, or after it accepts an Event (202). Storage is
 * S3Proxy; the handler is pointed at a second S3Proxy endpoint over the same objects, so the client's requests and
 * the worker's are counted apart. Measured twice: with the defaults (a small job: inline, synchronous) and with
 * {@code jwren.lambda.sync-invocations=0} (every invoke an Event naming stored objects, as before small jobs).
 */
final class LambdaSubmitBench {
    private static final String BUCKET = "jwren-bench-lambda";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One warm submit's costs. */
    record Costs(int clientRequests, int workerRequests, long invokes, String clientOps, String workerOps) {}

    void run(MetricPrinter metrics, PrintWriter log) throws Exception {
        Costs small = measure(Map.of());
        Costs event = measure(Map.of("jwren.lambda.sync-invocations", "0"));
        log.printf("# lambda submit, small job (inline, RequestResponse): client %s, worker %s, %d invoke(s)%n",
                small.clientOps(), small.workerOps(), small.invokes());
        log.printf("# lambda submit, Event invoke of a stored job (jwren.lambda.sync-invocations=0): client %s, worker %s, "
                + "%d invoke(s)%n", event.clientOps(), event.workerOps(), event.invokes());
        log.flush();
        metrics.print("lambda_submit_s3_requests", small.clientRequests(), "requests");
        metrics.print("lambda_worker_s3_requests", small.workerRequests(), "requests");
        metrics.print("lambda_submit_invokes", small.invokes(), "invokes");
        metrics.print("lambda_event_submit_s3_requests", event.clientRequests(), "requests");
        metrics.print("lambda_event_worker_s3_requests", event.workerRequests(), "requests");
    }

    private Costs measure(Map<String, String> settings) throws Exception {
        ExecutorService eventRuns = Executors.newSingleThreadExecutor();
        try (S3ProxyServer s3 = S3ProxyServer.start(null);
             S3ProxyServer workerS3 = S3ProxyServer.startSharing(s3);
             TempStorage cache = new TempStorage("jwren-bench-cache-")) {
            s3.createBucket(BUCKET);
            S3ProxyServer.useAsDefaultCredentials();
            LoopbackInvokeSink.Replier worker = (function, type, body) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> payload = JSON.readValue(body, Map.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> config = (Map<String, Object>) payload.get("config");
                config.put("jwren.s3.endpoint", workerS3.endpoint().toString()); // the worker's own endpoint
                if (type.equals("Event")) {
                    eventRuns.execute(() -> new LambdaHandler().handleRequest(payload, null));
                    return Reply.status(202);
                }
                Map<String, Object> answer = new LambdaHandler().handleRequest(payload, null);
                return Reply.answer(JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8));
            };
            try (LoopbackInvokeSink sink = LoopbackInvokeSink.start(worker, 2)) {
                Executor.Builder b = Executor.builder().backend("lambda").storage("s3://" + BUCKET + "/bench")
                        .property("jwren.s3.endpoint", s3.endpoint().toString())
                        .property("jwren.s3.region", "us-east-1")
                        .property("jwren.s3.path-style", "true")
                        .property("jwren.worker.cache", cache.path().toString())
                        .property("jwren.lambda.function", "jwren-bench")
                        .property("jwren.lambda.region", "us-east-1")
                        .property("jwren.lambda.endpoint", sink.endpoint().toString());
                settings.forEach(b::property);
                try (Executor executor = b.build()) {
                    // the first submit uploads the class bundles, and the "container" caches them
                    check(executor.submit(TrivialCalls.constant(1)).get(60, TimeUnit.SECONDS), 1);
                    s3.resetOperations();
                    workerS3.resetOperations();
                    long invokes = sink.requests();
                    check(executor.submit(TrivialCalls.constant(2)).get(60, TimeUnit.SECONDS), 2);
                    invokes = sink.requests() - invokes;
                    var clientOps = s3.operations();
                    var workerOps = workerS3.operations();
                    return new Costs(clientOps.size(), workerOps.size(), invokes,
                            clientOps.stream().map(o -> o.kind() + " " + o.key()).toList().toString(),
                            workerOps.stream().map(o -> o.kind() + " " + o.key()).toList().toString());
                }
            }
        } finally {
            eventRuns.shutdownNow();
        }
    }

    private static void check(int got, int expected) {
        if (got != expected) throw new IllegalStateException("lambda submit bench: got " + got + ", expected " + expected);
    }
}

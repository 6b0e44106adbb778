package io.jwren.worker;

import io.jwren.Config;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test backend "lambda-handler": runs each invocation by calling {@link LambdaHandler#handleRequest} on a
 * thread, with the payload a Lambda backend would send, passed through JSON as the Lambda runtime does.
 * An invocation is complete when the handler returns, lost when it throws, as for a synchronous Invoke.
 */
public final class HandlerBackendProvider implements BackendProvider {
    /** Every response the handler gave, in the order they came. */
    static final Queue<Map<String, Object>> RESPONSES = new ConcurrentLinkedQueue<>();

    /** Jackson is a test dependency of this module only; other modules that list providers never load it. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    @Override
    public String name() {
        return "lambda-handler";
    }

    /** The payload for one invocation: the invocation and the storage settings the workers need, no credentials. */
    static Map<String, Object> payload(Invocation inv, Map<String, String> config) {
        return payload(inv, config, null);
    }

    /** As a Lambda backend sends it: with the executor's signing key, when there is one. */
    static Map<String, Object> payload(Invocation inv, Map<String, String> config, String signingKey) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("jobId", inv.jobId());
        payload.put("invocation", inv.number());
        payload.put("firstCall", inv.firstCall());
        payload.put("callCount", inv.callCount());
        payload.put("attempt", inv.attempt());
        payload.put("inputOffset", inv.inputOffset());
        payload.put("inputLength", inv.inputLength());
        payload.put("config", config);
        if (signingKey != null) payload.put("signingKey", signingKey);
        return viaJson(payload);
    }

    /** The map as the Lambda runtime hands it over: decoded from JSON text. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> viaJson(Map<String, Object> payload) {
        return Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(payload), Map.class);
    }

    @Override
    public Backend create(BackendContext context) {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        LambdaHandler handler = new LambdaHandler();
        return new Backend() {
            @Override
            public boolean handsSigningKey() {
                return true;
            }

            @Override
            public Duration timeoutGrace() {
                return Duration.ofSeconds(30);
            }

            @Override
            public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
                Map<String, String> config = new LinkedHashMap<>();
                config.put("jwren.storage", job.storage().uri());
                Config c = context.config();
                c.asMap().forEach((k, v) -> {
                    if (k.startsWith("jwren.s3.") || k.equals("jwren.worker.cache")) config.put(k, v);
                });
                for (Invocation inv : invocations) {
                    pool.execute(() -> {
                        try {
                            RESPONSES.add(handler.handleRequest(payload(inv, config, context.signingKey()), null));
                            listener.completed(inv);
                        } catch (RuntimeException e) {
                            listener.lost(inv, "handler threw " + e);
                        }
                    });
                }
            }

            @Override
            public void abort(Invocation invocation) {
                // a running handler call cannot be stopped; its late result is ignored
            }

            @Override
            public void cancel(String jobId) {
                // likewise
            }

            @Override
            public void close() {
                pool.shutdownNow();
            }
        };
    }
}

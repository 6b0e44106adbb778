package io.jwren.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.jwren.Config;
import io.jwren.spi.Providers;
import io.jwren.engine.closure.BundleCache;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Invocation;
import io.jwren.spi.Settings;
import io.jwren.spi.Storage;
import io.jwren.engine.worker.InvocationRunner;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AWS Lambda entry point, {@code io.jwren.worker.LambdaHandler::handleRequest}: runs one invocation
 * of a job from storage and writes its result object there, as every worker does.
 *
 * <p>The payload is a JSON object (see docs/PROTOCOL.md): the invocation ({@code jobId},
 * {@code invocation}, {@code firstCall}, {@code callCount}, {@code attempt}, {@code inputOffset},
 * {@code inputLength}) and a {@code config} object of non-secret {@code jwren.*} settings (storage URI,
 * S3 endpoint, region...), which go over the function's environment. Credentials never travel in it:
 * the function reaches storage with its execution role, and a config key that looks like a credential
 * is refused. The executor's signing key does, as {@code signingKey} beside {@code config}: with it the
 * worker runs signed jobs only, checks every object it reads from storage and signs its results
 * (docs/SECURITY.md). A small job comes {@code inline} (base64 of its manifest, function and this
 * invocation's inputs), over the same channel as the key: then nothing of the job is read from storage but
 * class bundles not cached yet, checked against the manifest's hashes. With {@code returnResult} the answer
 * carries the result object this run stored ({@code result}, base64: the stored, signed bytes), for the
 * synchronous invoke that waits for it.
 *
 * <p>A warm container keeps, per distinct configuration, one open storage and one
 * {@link InvocationRunner}, which keeps the jobs it loaded and one class loader per bundle list, with
 * bundle jars cached on local disk ({@code /tmp/jwren-cache} unless {@code jwren.worker.cache} says
 * otherwise): a later invocation of the same job, or a job with the same code, reads neither again.
 *
 * <p>Storage that stays unreachable makes the handler throw, so that Lambda's own retries run the
 * invocation again; results are first-wins, so a retry never counts twice. Anything wrong with the job
 * itself (a missing or corrupt object) fails its calls instead, which no retry could mend.
 */
public final class LambdaHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Distinct configurations kept warm; a function's payloads normally all name the same storage. */
    private static final int MAX_WARM = 4;
    private static final String WORKER_ID = workerId();
    /**
     * Result objects up to this size go back in a synchronous invoke's answer: base64 makes 5,333,336 characters of
     * them, under Lambda's response limit of 6 MB with the other fields.
     */
    static final int RESULT_IN_ANSWER_LIMIT = 4_000_000;

    static {
        SnapStartPriming.primeIfSnapStart(); // a SnapStart version's snapshot keeps the worker's classes initialised
    }

    /** What a container keeps for one configuration, and how many invocations have used it. */
    private record Warm(Storage storage, InvocationRunner runner, AtomicLong invocations) {}

    private static final Map<Map<String, String>, Warm> WARM = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, String>, Warm> eldest) {
            if (size() <= MAX_WARM) return false;
            eldest.getValue().storage().close();
            return true;
        }
    };

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> payload, Context context) {
        long start = System.nanoTime();
        if (payload == null) throw new IllegalArgumentException("jwren worker: empty payload");
        Config config = Config.resolve(settings(payload.get("config")));
        Warm warm = warm(config);
        // Each payload says which key its job is checked with (none: an unsigned job), whatever a warm container saw.
        Object key = payload.get("signingKey");
        if (key != null && (!(key instanceof String k) || k.isBlank()))
            throw new IllegalArgumentException("jwren worker: payload 'signingKey' must be a base64 string");
        warm.runner().signedWith(key == null ? null : ObjectSigner.fromBase64("payload 'signingKey'", (String) key));
        boolean wasWarm = warm.invocations().getAndIncrement() > 0;
        Invocation inv = invocation(payload, warm.runner());
        InvocationRunner.Finished finished = warm.runner().run(inv, inline(payload.get("inline")));
        InvocationResult result = finished.result();

        int failed = 0;
        for (CallOutcome call : result.calls()) if (!call.ok()) failed++;
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", failed == 0 ? "ok" : "errors");
        response.put("jobId", inv.jobId());
        response.put("invocation", inv.number());
        response.put("attempt", inv.attempt());
        response.put("workerId", WORKER_ID);
        response.put("calls", result.calls().size());
        response.put("ok", result.calls().size() - failed);
        response.put("failed", failed);
        response.put("warm", wasWarm);
        response.put("millis", (System.nanoTime() - start) / 1_000_000);
        // A synchronous invoke's caller takes the result object from the answer, if this run stored it (the bytes
        // are then those in storage) and it fits in Lambda's 6 MB response.
        boolean returnResult = Boolean.TRUE.equals(payload.get("returnResult")) || "true".equals(payload.get("returnResult"));
        if (returnResult && finished.stored()
                && finished.resultObject().length <= RESULT_IN_ANSWER_LIMIT)
            response.put("result", Base64.getEncoder().encodeToString(finished.resultObject()));
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) logger.log("jwren " + summary(response) + "\n");
        return response;
    }

    /** The storage and runner for this configuration, opened on first use and kept for later invocations. */
    private static Warm warm(Config config) {
        Map<String, String> key = config.asMap();
        synchronized (WARM) {
            Warm w = WARM.get(key);
            if (w == null) {
                Storage storage = Providers.storage(config.get("jwren.storage"), config);
                w = new Warm(storage, InvocationRunner.create(storage, WORKER_ID, BundleCache.directory(config)),
                        new AtomicLong());
                WARM.put(key, w);
            }
            return w;
        }
    }

    /** The response without the result object, for the log. */
    private static Map<String, Object> summary(Map<String, Object> response) {
        if (!response.containsKey("result")) return response;
        Map<String, Object> shown = new LinkedHashMap<>(response);
        shown.put("result", ((String) response.get("result")).length() + " base64 chars");
        return shown;
    }

    /** The payload's {@code inline} job (base64), or null when its objects are in storage. */
    static byte[] inline(Object inline) {
        if (inline == null) return null;
        if (!(inline instanceof String text))
            throw new IllegalArgumentException("jwren worker: payload 'inline' must be a base64 string, was " + kind(inline));
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jwren worker: payload 'inline' is not base64: " + e.getMessage());
        }
    }

    /** How many configurations this JVM keeps warm; for tests. */
    static int warmStorages() {
        synchronized (WARM) {
            return WARM.size();
        }
    }

    /** The payload's {@code config}: {@code jwren.*} keys with string, number or boolean values, no credentials. */
    static Map<String, String> settings(Object config) {
        if (config == null) return Map.of();
        if (!(config instanceof Map<?, ?> map))
            throw new IllegalArgumentException("jwren worker: payload 'config' must be an object, was " + kind(config));
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (looksLikeCredential(key))
                throw new IllegalArgumentException("jwren worker: payload config key '" + key + "' looks like a "
                        + "credential; credentials never travel in the payload: the function reaches storage with its role");
            if (!key.startsWith("jwren."))
                throw new IllegalArgumentException("jwren worker: payload config key '" + key + "' is not a jwren.* setting");
            Object value = e.getValue();
            if (value == null) continue;
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean))
                throw new IllegalArgumentException("jwren worker: payload config '" + key + "' must be a string, number "
                        + "or boolean, was " + kind(value));
            settings.put(key, value.toString());
        }
        return settings;
    }

    static boolean looksLikeCredential(String key) {
        return key.toLowerCase(Locale.ROOT).startsWith("aws.") || Settings.isSecret(key);
    }

    /** The invocation the payload names; without {@code firstCall}/{@code callCount}, from the job's manifest. */
    static Invocation invocation(Map<String, Object> payload, InvocationRunner runner) {
        Object jobId = payload.get("jobId");
        if (!(jobId instanceof String id) || id.isBlank())
            throw new IllegalArgumentException("jwren worker: payload needs a 'jobId' string, had " + payload.keySet());
        int number = (int) number(payload, "invocation", -1);
        if (number < 0) throw new IllegalArgumentException("jwren worker: payload needs an 'invocation' number >= 0");
        int attempt = (int) number(payload, "attempt", 0);
        if (!payload.containsKey("firstCall") && !payload.containsKey("callCount"))
            return runner.invocation(id, number, attempt);
        int first = (int) number(payload, "firstCall", -1);
        int count = (int) number(payload, "callCount", -1);
        if (first < 0 || count < 1)
            throw new IllegalArgumentException("jwren worker: payload needs 'firstCall' >= 0 and 'callCount' >= 1");
        return new Invocation(id, number, first, count, attempt,
                number(payload, "inputOffset", -1), number(payload, "inputLength", -1));
    }

    private static long number(Map<String, Object> payload, String key, long fallback) {
        Object v = payload.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n && n.doubleValue() == n.longValue()) return n.longValue();
        if (v instanceof String s && s.matches("-?\\d{1,18}")) return Long.parseLong(s);
        throw new IllegalArgumentException("jwren worker: payload '" + key + "' must be a whole number, was " + kind(v));
    }

    private static String kind(Object v) {
        return v instanceof String s ? "'" + s + "'" : v.getClass().getSimpleName();
    }

    private static String workerId() {
        String stream = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
        return stream != null && !stream.isBlank() ? stream : io.jwren.engine.worker.WorkerMain.defaultWorkerId();
    }
}

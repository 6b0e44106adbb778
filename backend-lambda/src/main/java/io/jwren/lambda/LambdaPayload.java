package io.jwren.lambda;

import io.jwren.spi.Invocation;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The JSON payload of one invoke, exactly what {@code io.jwren.worker.LambdaHandler} accepts (docs/PROTOCOL.md,
 * "Lambda"): the invocation's keys and byte range, a {@code config} object of non-secret settings, the executor's
 * signing key, which reaches the worker this way only (Lambda's own channel, over TLS to the Invoke API), and, for a
 * small job, the job itself ({@code inline}, base64) and whether to hand the result object back
 * ({@code returnResult}); and the reading of the handler's answer to a synchronous invoke. Written by hand: a flat
 * object of numbers and strings.
 */
final class LambdaPayload {
    /**
     * Our own ceiling for a payload that carries keys only, far below Lambda's limit for asynchronous invokes
     * (1 MB; 256 KB before 2025): anything near this is a bug.
     */
    static final int MAX_BYTES = 16 * 1024;
    /**
     * Lambda's limit for the request and the response of a synchronous (RequestResponse) invoke: "6 MB", counted
     * here in decimal megabytes so that either reading of it holds.
     */
    static final int SYNC_LIMIT = 6_000_000;
    /** The largest {@code jwren.lambda.inline-limit}: base64 makes it 4/3 larger, and the manifest and fields need room. */
    static final long MAX_INLINE = 4_000_000;

    private LambdaPayload() {}

    /** A payload that names the job's objects in storage. */
    static byte[] encode(Invocation inv, Map<String, String> config) {
        return encode(inv, config, null);
    }

    /**
     * A payload that names the job's objects in storage.
     *
     * @param signingKey the executor's key (base64) for the worker to check the job's objects with; null for none
     */
    static byte[] encode(Invocation inv, Map<String, String> config, String signingKey) {
        byte[] bytes = json(inv, config, signingKey, null, false).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES)
            throw new IllegalStateException("Lambda payload of invocation " + inv.number() + " of job " + inv.jobId()
                    + " is " + bytes.length + " bytes, over jwren's ceiling of " + MAX_BYTES + ": payloads carry keys only");
        return bytes;
    }

    /**
     * A payload that carries the job for a synchronous invoke, and asks for the result object back.
     *
     * @param inv        the invocation, its input offset and length indexing {@code inlineJob}'s inputs
     * @param signingKey the executor's key (base64), which signs the result object; null for none
     * @param inlineJob  an {@link io.jwren.engine.protocol.InlineJob} holding this invocation's inputs
     * @throws IllegalStateException if it would pass Lambda's {@link #SYNC_LIMIT}
     */
    static byte[] encodeInline(Invocation inv, Map<String, String> config, String signingKey, byte[] inlineJob) {
        byte[] bytes = json(inv, config, signingKey, inlineJob, true).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > SYNC_LIMIT)
            throw new IllegalStateException("Lambda payload of invocation " + inv.number() + " of job " + inv.jobId()
                    + " is " + bytes.length + " bytes with the job inline, over Lambda's limit of " + SYNC_LIMIT
                    + " for a synchronous invoke: lower jwren.lambda.inline-limit");
        return bytes;
    }

    private static String json(Invocation inv, Map<String, String> config, String signingKey, byte[] inlineJob,
                               boolean returnResult) {
        StringBuilder json = new StringBuilder(inlineJob == null ? 256 : 256 + (inlineJob.length + 2) / 3 * 4);
        json.append("{\"jobId\":");
        string(json, inv.jobId());
        json.append(",\"invocation\":").append(inv.number())
                .append(",\"firstCall\":").append(inv.firstCall())
                .append(",\"callCount\":").append(inv.callCount())
                .append(",\"attempt\":").append(inv.attempt())
                .append(",\"inputOffset\":").append(inv.inputOffset())
                .append(",\"inputLength\":").append(inv.inputLength())
                .append(",\"config\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!first) json.append(',');
            first = false;
            string(json, e.getKey());
            json.append(':');
            string(json, e.getValue());
        }
        json.append('}');
        if (signingKey != null) {
            json.append(",\"signingKey\":");
            string(json, signingKey);
        }
        if (returnResult) json.append(",\"returnResult\":true");
        if (inlineJob != null) json.append(",\"inline\":\"").append(Base64.getEncoder().encodeToString(inlineJob)).append('"');
        return json.append('}').toString();
    }

    /**
     * What the handler answered to a synchronous invoke.
     *
     * @param resultObject the result object this run stored, when it came back along; null: read it from storage
     */
    record Answer(String jobId, int invocation, int attempt, byte[] resultObject) {}

    /**
     * Reads the handler's answer; null if {@code body} is not one (empty, as some emulators answer for a handler
     * that threw, or not the handler's JSON).
     */
    static Answer decodeAnswer(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            JsonNode node = JsonNode.parser().parse(body);
            if (!node.isObject()) return null;
            Map<String, JsonNode> fields = node.asObject();
            JsonNode jobId = fields.get("jobId");
            JsonNode invocation = fields.get("invocation");
            JsonNode attempt = fields.get("attempt");
            if (jobId == null || !jobId.isString() || invocation == null || !invocation.isNumber()
                    || attempt == null || !attempt.isNumber()) return null;
            JsonNode result = fields.get("result");
            byte[] bytes = result != null && result.isString() ? Base64.getDecoder().decode(result.asString()) : null;
            return new Answer(jobId.asString(), Integer.parseInt(invocation.asNumber()), Integer.parseInt(attempt.asNumber()), bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
                    else json.append(c);
                }
            }
        }
        json.append('"');
    }
}

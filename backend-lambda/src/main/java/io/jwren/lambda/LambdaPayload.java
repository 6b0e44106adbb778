package io.jwren.lambda;

import io.jwren.spi.Invocation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON payload of one Event invoke, exactly what {@code io.jwren.worker.LambdaHandler} accepts
 * (docs/PROTOCOL.md, "Lambda"): the invocation's keys and byte range, a {@code config} object of
 * non-secret settings, and the executor's signing key, which reaches the worker this way only (Lambda's own
 * channel, over TLS to the Invoke API). Written by hand: it is a flat object of numbers and short strings.
 */
final class LambdaPayload {
    /**
     * Our own ceiling, far below Lambda's limit for asynchronous invokes (256 KiB, 1 MiB since 2025): a
     * payload carries keys, never data, so anything near this is a bug.
     */
    static final int MAX_BYTES = 16 * 1024;

    private LambdaPayload() {}

    static byte[] encode(Invocation inv, Map<String, String> config) {
        return encode(inv, config, null);
    }

    /** @param signingKey the executor's key (base64) for the worker to check the job's objects with; null for none */
    static byte[] encode(Invocation inv, Map<String, String> config, String signingKey) {
        StringBuilder json = new StringBuilder(256);
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
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES)
            throw new IllegalStateException("Lambda payload of invocation " + inv.number() + " of job " + inv.jobId()
                    + " is " + bytes.length + " bytes, over jwren's ceiling of " + MAX_BYTES + ": payloads carry keys only");
        return bytes;
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

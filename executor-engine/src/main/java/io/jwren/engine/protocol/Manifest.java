package io.jwren.engine.protocol;

import io.jwren.ProtocolException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The description of a job that workers read first: {@code jobs/<jobId>/manifest}, a UTF-8 properties
 * text so that a person can read it too.
 *
 * @param protocol      protocol version; a worker refuses versions it does not know
 * @param jobId         the job
 * @param calls         calls in the map
 * @param chunkSize     calls per invocation (the last may have fewer)
 * @param bundles       class bundle keys, in class-path order
 * @param minJavaMajor  class-file major version the worker's Java must accept (0 if nothing shipped)
 * @param callTimeoutMs longest one call may run
 * @param created       when the client staged the job
 * @param backend       the backend it was submitted to
 * @param retry         which calls a worker runs again, and how long it waits first (protocol 2)
 * @param inputsFrom    for a chained map, the job whose call results are its inputs (it has no inputs objects); else null
 * @param inputsChunkSize for a chained map, the calls per invocation of {@code inputsFrom}, which tell the result
 *                      object holding each input; else 0
 */
public record Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                       long callTimeoutMs, Instant created, String backend, RetryPolicy retry, String inputsFrom,
                       int inputsChunkSize) {

    /** The version this release writes. */
    public static final int PROTOCOL = 2;
    /** The oldest version a worker of this release still runs (its results are written in that version). */
    public static final int OLDEST_PROTOCOL = 1;

    public Manifest {
        if (retry == null) retry = RetryPolicy.NONE;
    }

    /** The manifest of a map with inputs objects of its own, whose calls are never re-run on their worker. */
    public Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                    long callTimeoutMs, Instant created, String backend) {
        this(protocol, jobId, calls, chunkSize, bundles, minJavaMajor, callTimeoutMs, created, backend, RetryPolicy.NONE);
    }

    /** The manifest of a map with inputs objects of its own. */
    public Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                    long callTimeoutMs, Instant created, String backend, RetryPolicy retry) {
        this(protocol, jobId, calls, chunkSize, bundles, minJavaMajor, callTimeoutMs, created, backend, retry, null, 0);
    }

    /** A chained map's manifest, whose calls are never re-run on their worker. */
    public Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                    long callTimeoutMs, Instant created, String backend, String inputsFrom, int inputsChunkSize) {
        this(protocol, jobId, calls, chunkSize, bundles, minJavaMajor, callTimeoutMs, created, backend, RetryPolicy.NONE,
                inputsFrom, inputsChunkSize);
    }

    /** {@return true if the inputs are the results of {@link #inputsFrom()}} */
    public boolean chained() {
        return inputsFrom != null;
    }

    public int invocations() {
        return (calls + chunkSize - 1) / chunkSize;
    }

    public byte[] toBytes() {
        Properties p = new Properties();
        p.setProperty("protocol", Integer.toString(protocol));
        p.setProperty("job", jobId);
        p.setProperty("calls", Integer.toString(calls));
        p.setProperty("chunk-size", Integer.toString(chunkSize));
        p.setProperty("invocations", Integer.toString(invocations()));
        p.setProperty("bundles", String.join(",", bundles));
        p.setProperty("function", JobKeys.function(jobId));
        if (chained()) {
            p.setProperty("inputs-from", inputsFrom);
            p.setProperty("inputs-chunk-size", Integer.toString(inputsChunkSize));
        } else {
            p.setProperty("inputs", JobKeys.inputs(jobId));
            p.setProperty("inputs-index", JobKeys.inputsIndex(jobId));
        }
        p.setProperty("min-java-class-version", Integer.toString(minJavaMajor));
        p.setProperty("call-timeout-ms", Long.toString(callTimeoutMs));
        p.setProperty("created", created.toString());
        p.setProperty("backend", backend);
        if (protocol >= 2) {
            p.setProperty("retry-on", String.join(",", retry.types()));
            p.setProperty("retries", Integer.toString(retry.retries()));
            p.setProperty("backoff-initial-ms", Long.toString(retry.initialMs()));
            p.setProperty("backoff-max-ms", Long.toString(retry.maxMs()));
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "jwren job manifest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Manifest parse(String key, byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            int protocol = Integer.parseInt(required(p, "protocol"));
            if (protocol < OLDEST_PROTOCOL || protocol > PROTOCOL)
                throw new ProtocolException("job manifest '" + key + "' has protocol version " + protocol
                        + " but this worker speaks versions " + OLDEST_PROTOCOL + " to " + PROTOCOL
                        + ": use client and worker of the same jwren release", key, null);
            String retryOn = p.getProperty("retry-on", "");
            RetryPolicy retry = retryOn.isEmpty() ? RetryPolicy.NONE
                    : new RetryPolicy(Arrays.asList(retryOn.split(",")), Integer.parseInt(required(p, "retries")),
                            Long.parseLong(required(p, "backoff-initial-ms")), Long.parseLong(required(p, "backoff-max-ms")));
            String bundleList = p.getProperty("bundles", "");
            List<String> bundles = bundleList.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(bundleList.split(",")));
            return new Manifest(protocol, required(p, "job"), Integer.parseInt(required(p, "calls")),
                    Integer.parseInt(required(p, "chunk-size")), List.copyOf(bundles),
                    Integer.parseInt(p.getProperty("min-java-class-version", "0")),
                    Long.parseLong(required(p, "call-timeout-ms")), Instant.parse(required(p, "created")),
                    p.getProperty("backend", "unknown"), retry, p.getProperty("inputs-from"),
                    Integer.parseInt(p.getProperty("inputs-chunk-size", "0")));
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("job manifest '" + key + "' is corrupt: " + e.getMessage(), key, e);
        }
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) throw new IllegalArgumentException("missing field '" + name + "'");
        return v;
    }
}

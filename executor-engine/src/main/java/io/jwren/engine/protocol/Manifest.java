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
import java.util.HexFormat;
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
 * @param integrity     the tag of the function and the hashes of the bundles, when the job is signed (protocol 3),
 *                      else null
 */
public record Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                       long callTimeoutMs, Instant created, String backend, RetryPolicy retry, String inputsFrom,
                       int inputsChunkSize, Integrity integrity) {

    /** The version this release writes. */
    public static final int PROTOCOL = 3;
    /** The last line of a signed manifest starts with this; the rest of the line is the hex tag of what precedes it. */
    private static final String SIGNATURE = "signature=";

    /**
     * What a signed manifest vouches for beyond itself.
     *
     * @param functionTag  hex tag of the function object
     * @param bundleHashes hex SHA-256 of each bundle's bytes, in the order of {@link #bundles()}
     * @param inputsBytes  the content length of the block-tagged inputs object, or -1 for a chained map (none)
     */
    public record Integrity(String functionTag, List<String> bundleHashes, long inputsBytes) {}
    /** The oldest version a worker of this release still runs (its results are written in that version). */
    public static final int OLDEST_PROTOCOL = 1;

    public Manifest {
        if (retry == null) retry = RetryPolicy.NONE;
    }

    /** An unsigned manifest. */
    public Manifest(int protocol, String jobId, int calls, int chunkSize, List<String> bundles, int minJavaMajor,
                    long callTimeoutMs, Instant created, String backend, RetryPolicy retry, String inputsFrom,
                    int inputsChunkSize) {
        this(protocol, jobId, calls, chunkSize, bundles, minJavaMajor, callTimeoutMs, created, backend, retry,
                inputsFrom, inputsChunkSize, null);
    }

    /** This manifest vouching for {@code integrity}. */
    public Manifest withIntegrity(Integrity integrity) {
        return new Manifest(protocol, jobId, calls, chunkSize, bundles, minJavaMajor, callTimeoutMs, created, backend,
                retry, inputsFrom, inputsChunkSize, integrity);
    }

    /** Whether the job's objects are signed: its manifest was, and it vouches for the rest. */
    public boolean signed() {
        return integrity != null;
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

    /** The manifest's text, unsigned. */
    public byte[] toBytes() {
        return toBytes(null);
    }

    /**
     * The manifest's text, and when a signer is given a last line {@code signature=<hex tag of the text before it>}.
     *
     * @param signer the job's signer, or null for an unsigned manifest
     */
    public byte[] toBytes(ObjectSigner signer) {
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
        if (integrity != null) {
            p.setProperty("function-hmac", integrity.functionTag());
            p.setProperty("bundle-sha256", String.join(",", integrity.bundleHashes()));
            if (integrity.inputsBytes() >= 0) p.setProperty("inputs-bytes", Long.toString(integrity.inputsBytes()));
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "jwren job manifest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] text = w.toString().getBytes(StandardCharsets.UTF_8);
        if (signer == null) return text;
        String line = SIGNATURE + HexFormat.of().formatHex(signer.tag(JobKeys.manifest(jobId), text)) + "\n";
        byte[] signed = Arrays.copyOf(text, text.length + line.length());
        System.arraycopy(line.getBytes(StandardCharsets.US_ASCII), 0, signed, text.length, line.length());
        return signed;
    }

    /** Reads a manifest without checking a signature (what a worker without a key, or the retention sweep, does). */
    public static Manifest parse(String key, byte[] bytes) {
        return parse(key, bytes, null);
    }

    /**
     * Reads a manifest; with a signer, only once its signature is checked, and a manifest that is unsigned, altered
     * or signed with another key is refused.
     *
     * @param key    the key it was read from
     * @param bytes  its content
     * @param signer the job key's signer, or null to read it unchecked
     * @throws ProtocolException naming the key, if it is corrupt, of an unknown version or fails its check
     */
    public static Manifest parse(String key, byte[] bytes, ObjectSigner signer) {
        if (signer != null) bytes = verified(key, bytes, signer);
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
            Integrity integrity = null;
            String functionTag = p.getProperty("function-hmac");
            if (functionTag != null) {
                String hashes = p.getProperty("bundle-sha256", "");
                List<String> bundleHashes = hashes.isEmpty() ? List.of() : List.of(hashes.split(","));
                if (bundleHashes.size() != bundles.size())
                    throw new IllegalArgumentException("bundle-sha256 lists " + bundleHashes.size() + " hashes for "
                            + bundles.size() + " bundles");
                integrity = new Integrity(functionTag, bundleHashes, Long.parseLong(p.getProperty("inputs-bytes", "-1")));
            }
            if (signer != null && integrity == null) throw new IllegalArgumentException("signed but no function-hmac");
            Manifest m = new Manifest(protocol, required(p, "job"), Integer.parseInt(required(p, "calls")),
                    Integer.parseInt(required(p, "chunk-size")), List.copyOf(bundles),
                    Integer.parseInt(p.getProperty("min-java-class-version", "0")),
                    Long.parseLong(required(p, "call-timeout-ms")), Instant.parse(required(p, "created")),
                    p.getProperty("backend", "unknown"), retry, p.getProperty("inputs-from"),
                    Integer.parseInt(p.getProperty("inputs-chunk-size", "0")), integrity);
            if (signer != null && !key.equals(JobKeys.manifest(m.jobId())))
                throw new IllegalArgumentException("it describes job " + m.jobId());
            return m;
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("job manifest '" + key + "' is corrupt: " + e.getMessage(), key, e);
        }
    }

    /** {@return true if the manifest's text ends with a signature line, whether or not it checks} */
    public static boolean carriesSignature(byte[] bytes) {
        return lastLine(bytes).startsWith(SIGNATURE);
    }

    private static String lastLine(byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') end--;
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') start--;
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }

    /** The text before the signature line, once the line's tag is checked against it. */
    private static byte[] verified(String key, byte[] bytes, ObjectSigner signer) {
        String last = lastLine(bytes);
        int start = bytes.length - last.length() - (bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? 1 : 0);
        if (!last.startsWith(SIGNATURE))
            throw ObjectSigner.refused(key, "it is not signed, but this client and its workers accept signed jobs only");
        byte[] tag;
        try {
            tag = HexFormat.of().parseHex(last.substring(SIGNATURE.length()));
        } catch (IllegalArgumentException e) {
            throw ObjectSigner.refused(key, "its signature line is not a hex tag");
        }
        ObjectSigner.check(key, signer.tag(key, bytes, 0, start), tag);
        return Arrays.copyOf(bytes, start);
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) throw new IllegalArgumentException("missing field '" + name + "'");
        return v;
    }
}

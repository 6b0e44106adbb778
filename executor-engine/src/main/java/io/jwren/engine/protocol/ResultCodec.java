package io.jwren.engine.protocol;

import io.jwren.ProtocolException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of {@link InvocationResult} (docs/PROTOCOL.md): magic {@code JWR2} (or {@code JWR1}, for the
 * clients of protocol version 1), then big-endian fields. Version 2 adds each call's {@link CallMetrics}.
 * Values are Kryo bytes produced by the worker, inline or as the key of a value object of their own; the
 * codec does not look inside them. Both versions decode.
 */
public final class ResultCodec {
    private static final int MAGIC_V1 = 0x4A575231; // "JWR1"
    private static final int MAGIC_V2 = 0x4A575232; // "JWR2"
    private static final byte OK = 0;
    private static final byte FAILED = 1;
    private static final byte STORED = 2;

    private ResultCodec() {}

    /** In the current version, {@link Manifest#PROTOCOL}. */
    public static byte[] encode(InvocationResult r) {
        return encode(r, Manifest.PROTOCOL);
    }

    /**
     * The result object as stored at {@code key}: sealed with its tag when the job is signed.
     *
     * @param signer the job's signer, or null for an unsigned job
     */
    public static byte[] encode(InvocationResult r, int protocol, String key, ObjectSigner signer) {
        byte[] encoded = encode(r, protocol);
        return signer == null ? encoded : signer.seal(key, encoded);
    }

    /** @param protocol the job's protocol version: a job of version 1 gets a result its client can read */
    public static byte[] encode(InvocationResult r, int protocol) {
        boolean v2 = protocol >= 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(v2 ? MAGIC_V2 : MAGIC_V1);
            out.writeInt(r.invocation());
            out.writeInt(r.attempt());
            writeString(out, r.workerId());
            writeString(out, r.logTail());
            out.writeInt(r.calls().size());
            for (CallOutcome c : r.calls()) {
                out.writeInt(c.index());
                out.writeLong(c.startMs());
                out.writeLong(c.endMs());
                if (v2) writeMetrics(out, c.metrics());
                if (c.ok() && c.valueKey() != null) {
                    out.writeByte(STORED);
                    writeString(out, c.valueKey());
                } else if (c.ok()) {
                    out.writeByte(OK);
                    writeBytes(out, c.valueBytes());
                } else {
                    out.writeByte(FAILED);
                    writeError(out, c.error());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a result object as stored: a signed job's result is checked, with its tag, before a byte is decoded.
     *
     * @param key    the storage key it was read from, named in errors
     * @param stored what the object holds
     * @param signer the job's signer, or null for an unsigned job
     * @throws ProtocolException naming the key, if it fails its integrity check or is corrupt
     */
    public static InvocationResult decode(String key, byte[] stored, ObjectSigner signer) {
        return decode(key, signer == null ? stored : signer.open(key, stored));
    }

    /** @param key the storage key it was read from, named in errors */
    public static InvocationResult decode(String key, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int magic = in.readInt();
            if (magic != MAGIC_V1 && magic != MAGIC_V2) throw new IOException("not a jwren result object (bad magic)");
            boolean v2 = magic == MAGIC_V2;
            int invocation = in.readInt();
            int attempt = in.readInt();
            String worker = readString(in);
            String log = readString(in);
            int n = in.readInt();
            if (n < 0 || n > data.length) throw new IOException("bad call count " + n);
            List<CallOutcome> calls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = in.readInt();
                long start = in.readLong();
                long end = in.readLong();
                CallMetrics metrics = v2 ? readMetrics(in, data.length) : CallMetrics.NONE;
                byte status = in.readByte();
                if (status == OK) {
                    calls.add(CallOutcome.inline(index, readBytes(in), start, end).withMetrics(metrics));
                } else if (status == STORED) {
                    String valueKey = readString(in);
                    if (valueKey == null) throw new IOException("stored value of call " + index + " has no key");
                    calls.add(CallOutcome.stored(index, valueKey, start, end).withMetrics(metrics));
                } else if (status == FAILED) {
                    calls.add(new CallOutcome(index, readError(in, data.length), null, null, null, start, end, metrics));
                } else {
                    throw new IOException("bad call status " + status);
                }
            }
            if (in.read() != -1) throw new IOException("trailing bytes");
            return new InvocationResult(invocation, attempt, worker, log, calls);
        } catch (EOFException e) {
            throw new ProtocolException("result object '" + key + "' is corrupt: truncated", key, e);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("result object '" + key + "' is corrupt: " + e.getMessage(), key, e);
        }
    }

    private static void writeMetrics(DataOutputStream out, CallMetrics m) throws IOException {
        out.writeLong(m.cpuNanos());
        out.writeLong(m.allocatedBytes());
        out.writeByte(m.coldStart() ? 1 : 0);
        out.writeInt(m.reruns().size());
        for (ErrorInfo e : m.reruns()) writeError(out, e);
    }

    private static CallMetrics readMetrics(DataInputStream in, int limit) throws IOException {
        long cpu = in.readLong();
        long allocated = in.readLong();
        boolean cold = in.readByte() != 0;
        int n = in.readInt();
        if (n < 0 || n > limit) throw new IOException("bad re-run count " + n);
        List<ErrorInfo> reruns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) reruns.add(readError(in, limit));
        return new CallMetrics(cpu, allocated, cold, reruns);
    }

    private static void writeError(DataOutputStream out, ErrorInfo e) throws IOException {
        writeString(out, e.className());
        writeString(out, e.message());
        writeString(out, e.printed());
        out.writeInt(e.stackTrace().length);
        for (StackTraceElement f : e.stackTrace()) {
            writeString(out, f.getClassName());
            writeString(out, f.getMethodName());
            writeString(out, f.getFileName());
            out.writeInt(f.getLineNumber());
        }
        writeBytes(out, e.serialized());
    }

    private static ErrorInfo readError(DataInputStream in, int limit) throws IOException {
        String cls = readString(in);
        String msg = readString(in);
        String printed = readString(in);
        int frames = in.readInt();
        if (frames < 0 || frames > limit) throw new IOException("bad frame count " + frames);
        StackTraceElement[] trace = new StackTraceElement[frames];
        for (int f = 0; f < frames; f++) {
            trace[f] = new StackTraceElement(readString(in), readString(in), readString(in), in.readInt());
        }
        return new ErrorInfo(cls, msg, trace, printed, readBytes(in));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) return null;
        if (len > in.available()) throw new IOException("length " + len + " past the end");
        return in.readNBytes(len);
    }
}

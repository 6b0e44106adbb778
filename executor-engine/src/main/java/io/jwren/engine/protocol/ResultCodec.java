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
 * Binary form of {@link InvocationResult} (docs/PROTOCOL.md). A job of protocol version 3 gets magic {@code JWR3}:
 * variable-length numbers, each call's times and index as differences from the call before, so a call with a small
 * value takes about 12 bytes rather than 50 (a signed result's tag covers every byte, so its cost follows the size).
 * Older jobs get {@code JWR2} (version 2: each call's {@link CallMetrics}) or {@code JWR1}, big-endian fixed fields,
 * which their clients read. Values are Kryo bytes produced by the worker, inline or as the key of a value object of
 * their own; the codec does not look inside them. Every version decodes.
 */
public final class ResultCodec {
    private static final int MAGIC_V1 = 0x4A575231; // "JWR1"
    private static final int MAGIC_V2 = 0x4A575232; // "JWR2"
    private static final int MAGIC_V3 = 0x4A575233; // "JWR3"
    /** In a JWR3 call's flags byte: the status in the low two bits, then these. */
    private static final int STATUS_BITS = 3;
    private static final int COLD_START = 4;
    private static final int HAS_RERUNS = 8;
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
        if (signer == null) return encode(r, protocol);
        if (protocol < 3) return signer.seal(key, encode(r, protocol));
        // the tag goes after the content in the same array: no copy of the content to seal it
        CompactWriter w = encodeV3(r, ObjectSigner.TAG_BYTES);
        byte[] tag = signer.tag(key, w.array(), 0, w.size());
        w.write(tag, 0, tag.length);
        return w.toByteArray();
    }

    /** @param protocol the job's protocol version: a job of version 1 or 2 gets a result its client can read */
    public static byte[] encode(InvocationResult r, int protocol) {
        if (protocol >= 3) return encodeV3(r, 0).toByteArray();
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
        if (signer == null) return decode(key, stored);
        return decode(key, stored, 0, signer.checkSealed(key, stored)); // checked where it lies: no copy
    }

    /** @param key the storage key it was read from, named in errors */
    public static InvocationResult decode(String key, byte[] data) {
        return decode(key, data, 0, data.length);
    }

    private static InvocationResult decode(String key, byte[] data, int off, int len) {
        if (len >= 4 && new CompactReader(data, off, len).readFixedIntOr(0) == MAGIC_V3) return decodeV3(key, data, off, len);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, off, len))) {
            int magic = in.readInt();
            if (magic != MAGIC_V1 && magic != MAGIC_V2) throw new IOException("not a jwren result object (bad magic)");
            boolean v2 = magic == MAGIC_V2;
            int invocation = in.readInt();
            int attempt = in.readInt();
            String worker = readString(in);
            String log = readString(in);
            int n = in.readInt();
            if (n < 0 || n > len) throw new IOException("bad call count " + n);
            List<CallOutcome> calls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = in.readInt();
                long start = in.readLong();
                long end = in.readLong();
                CallMetrics metrics = v2 ? readMetrics(in, len) : CallMetrics.NONE;
                byte status = in.readByte();
                if (status == OK) {
                    calls.add(CallOutcome.inline(index, readBytes(in), start, end).withMetrics(metrics));
                } else if (status == STORED) {
                    String valueKey = readString(in);
                    if (valueKey == null) throw new IOException("stored value of call " + index + " has no key");
                    calls.add(CallOutcome.stored(index, valueKey, start, end).withMetrics(metrics));
                } else if (status == FAILED) {
                    calls.add(new CallOutcome(index, readError(in, len), null, null, null, start, end, metrics));
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

    private static CompactWriter encodeV3(InvocationResult r, int room) {
        int values = 0;
        for (CallOutcome c : r.calls()) if (c.valueBytes() != null) values += c.valueBytes().length;
        CompactWriter w = new CompactWriter(64 + 16 * r.calls().size() + values + room);
        w.writeFixedInt(MAGIC_V3);
        w.writeUnsigned(r.invocation());
        w.writeUnsigned(r.attempt());
        w.writeString(r.workerId());
        w.writeString(r.logTail());
        w.writeUnsigned(r.calls().size());
        long previousIndex = -1;
        long previousEnd = 0;
        for (CallOutcome c : r.calls()) {
            CallMetrics m = c.metrics();
            int status = !c.ok() ? FAILED : c.valueKey() != null ? STORED : OK;
            w.writeByte(status | (m.coldStart() ? COLD_START : 0) | (m.reruns().isEmpty() ? 0 : HAS_RERUNS));
            w.writeSigned(c.index() - (previousIndex + 1)); // 0 for the next call in line
            w.writeSigned(c.startMs() - previousEnd);
            w.writeSigned(c.endMs() - c.startMs());
            previousIndex = c.index();
            previousEnd = c.endMs();
            w.writeSigned(m.cpuNanos());
            w.writeSigned(m.allocatedBytes());
            if (!m.reruns().isEmpty()) {
                w.writeUnsigned(m.reruns().size());
                for (ErrorInfo e : m.reruns()) writeErrorV3(w, e);
            }
            if (status == OK) w.writeBytes(c.valueBytes());
            else if (status == STORED) w.writeString(c.valueKey());
            else writeErrorV3(w, c.error());
        }
        return w;
    }

    private static void writeErrorV3(CompactWriter w, ErrorInfo e) {
        w.writeString(e.className());
        w.writeString(e.message());
        w.writeString(e.printed());
        w.writeUnsigned(e.stackTrace().length);
        for (StackTraceElement f : e.stackTrace()) {
            w.writeString(f.getClassName());
            w.writeString(f.getMethodName());
            w.writeString(f.getFileName());
            w.writeSigned(f.getLineNumber());
        }
        w.writeBytes(e.serialized());
    }

    private static InvocationResult decodeV3(String key, byte[] data, int off, int len) {
        CompactReader in = new CompactReader(data, off, len);
        try {
            in.readFixedInt();
            int invocation = Math.toIntExact(in.readUnsigned());
            int attempt = Math.toIntExact(in.readUnsigned());
            String worker = in.readString();
            String log = in.readString();
            int n = in.readCount();
            List<CallOutcome> calls = new ArrayList<>(n);
            long index = -1;
            long end = 0;
            for (int i = 0; i < n; i++) {
                int flags = in.readByte();
                index = index + 1 + in.readSigned();
                long start = end + in.readSigned();
                end = start + in.readSigned();
                long cpu = in.readSigned();
                long allocated = in.readSigned();
                boolean cold = (flags & COLD_START) != 0;
                List<ErrorInfo> reruns = List.of();
                if ((flags & HAS_RERUNS) != 0) {
                    ErrorInfo[] runs = new ErrorInfo[in.readCount()];
                    for (int r = 0; r < runs.length; r++) runs[r] = readErrorV3(in);
                    reruns = List.of(runs);
                }
                CallMetrics metrics = cpu == -1 && allocated == -1 && !cold && reruns.isEmpty() ? CallMetrics.NONE
                        : new CallMetrics(cpu, allocated, cold, reruns);
                int call = Math.toIntExact(index);
                switch (flags & STATUS_BITS) {
                    case OK -> calls.add(new CallOutcome(call, null, null, in.readBytes(), null, start, end, metrics));
                    case STORED -> {
                        String valueKey = in.readString();
                        if (valueKey == null) throw new IOException("stored value of call " + call + " has no key");
                        calls.add(new CallOutcome(call, null, null, null, valueKey, start, end, metrics));
                    }
                    case FAILED -> calls.add(new CallOutcome(call, readErrorV3(in), null, null, null, start, end, metrics));
                    default -> throw new IOException("bad call status " + (flags & STATUS_BITS));
                }
            }
            if (in.remaining() != 0) throw new IOException("trailing bytes");
            return new InvocationResult(invocation, attempt, worker, log, calls);
        } catch (EOFException e) {
            throw new ProtocolException("result object '" + key + "' is corrupt: truncated", key, e);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("result object '" + key + "' is corrupt: " + e.getMessage(), key, e);
        }
    }

    private static ErrorInfo readErrorV3(CompactReader in) throws IOException {
        String cls = in.readString();
        String msg = in.readString();
        String printed = in.readString();
        StackTraceElement[] trace = new StackTraceElement[in.readCount()];
        for (int f = 0; f < trace.length; f++)
            trace[f] = new StackTraceElement(in.readString(), in.readString(), in.readString(), Math.toIntExact(in.readSigned()));
        return new ErrorInfo(cls, msg, trace, printed, in.readBytes());
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

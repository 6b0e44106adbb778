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
 * Binary form of {@link InvocationResult} (docs/PROTOCOL.md): magic {@code JWR1}, then big-endian fields.
 * Values are Kryo bytes produced by the worker, inline or as the key of a value object of their own; the
 * codec does not look inside them.
 */
public final class ResultCodec {
    private static final int MAGIC = 0x4A575231; // "JWR1"
    private static final byte OK = 0;
    private static final byte FAILED = 1;
    private static final byte STORED = 2;

    private ResultCodec() {}

    public static byte[] encode(InvocationResult r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(r.invocation());
            out.writeInt(r.attempt());
            writeString(out, r.workerId());
            writeString(out, r.logTail());
            out.writeInt(r.calls().size());
            for (CallOutcome c : r.calls()) {
                out.writeInt(c.index());
                out.writeLong(c.startMs());
                out.writeLong(c.endMs());
                if (c.ok() && c.valueKey() != null) {
                    out.writeByte(STORED);
                    writeString(out, c.valueKey());
                } else if (c.ok()) {
                    out.writeByte(OK);
                    writeBytes(out, c.valueBytes());
                } else {
                    out.writeByte(FAILED);
                    ErrorInfo e = c.error();
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @param key the storage key it was read from, named in errors */
    public static InvocationResult decode(String key, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) throw new IOException("not a jwren result object (bad magic)");
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
                byte status = in.readByte();
                if (status == OK) {
                    calls.add(CallOutcome.inline(index, readBytes(in), start, end));
                } else if (status == STORED) {
                    String valueKey = readString(in);
                    if (valueKey == null) throw new IOException("stored value of call " + index + " has no key");
                    calls.add(CallOutcome.stored(index, valueKey, start, end));
                } else if (status == FAILED) {
                    String cls = readString(in);
                    String msg = readString(in);
                    String printed = readString(in);
                    int frames = in.readInt();
                    if (frames < 0 || frames > data.length) throw new IOException("bad frame count " + frames);
                    StackTraceElement[] trace = new StackTraceElement[frames];
                    for (int f = 0; f < frames; f++) {
                        trace[f] = new StackTraceElement(readString(in), readString(in), readString(in), in.readInt());
                    }
                    calls.add(new CallOutcome(index, new ErrorInfo(cls, msg, trace, printed, readBytes(in)), null, null, null,
                            start, end));
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

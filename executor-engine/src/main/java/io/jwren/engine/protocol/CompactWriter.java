package io.jwren.engine.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array written with variable-length integers (unsigned LEB128; signed ones zigzag-encoded first):
 * the compact form of result objects (protocol version 3), where most numbers are small. Unsynchronized, unlike the
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream} it replaces, whose per-byte locking and copies cost more
 * than the values they wrote. {@link CompactReader} reads it back.
 */
final class CompactWriter {
    private byte[] buf;
    private int size;

    CompactWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Four bytes, big-endian: for a magic number, which a reader must find at a fixed place. */
    void writeFixedInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    /** A count or other value that is never negative. */
    void writeUnsigned(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Any long: small magnitudes, negative or not, take few bytes. */
    void writeSigned(long v) {
        writeUnsigned((v << 1) ^ (v >> 63));
    }

    /** Length + 1 (0 for null), then the bytes. */
    void writeBytes(byte[] b) {
        if (b == null) {
            writeUnsigned(0);
            return;
        }
        writeUnsigned(b.length + 1L);
        write(b, 0, b.length);
    }

    /** As {@link #writeBytes}, of the string's UTF-8. */
    void writeString(String s) {
        writeBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** {@return the array written into}, valid up to {@link #size()}; the writer must not be used after a write past it */
    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    /** {@return what was written, in an array of its own size} */
    byte[] toByteArray() {
        return buf.length == size ? buf : Arrays.copyOf(buf, size);
    }
}

package io.jwren.engine.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what a {@link CompactWriter} wrote, from a range of an array (a sealed object's content, without copying it
 * out first). Every length is checked against what is left, so a corrupt or hostile object fails with an
 * {@link IOException} rather than a huge allocation.
 */
final class CompactReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    CompactReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    int remaining() {
        return end - pos;
    }

    int readByte() throws EOFException {
        if (pos >= end) throw new EOFException();
        return buf[pos++] & 0xFF;
    }

    int readFixedInt() throws EOFException {
        if (end - pos < 4) throw new EOFException();
        int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | buf[pos + 3] & 0xFF;
        pos += 4;
        return v;
    }

    /** {@return the next four bytes as {@link #readFixedInt()}, or {@code otherwise} if fewer are left}; reads nothing */
    int readFixedIntOr(int otherwise) {
        if (end - pos < 4) return otherwise;
        return (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | buf[pos + 3] & 0xFF;
    }

    long readUnsigned() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IOException("a number runs past 64 bits");
    }

    long readSigned() throws IOException {
        long z = readUnsigned();
        return (z >>> 1) ^ -(z & 1);
    }

    /** A count that must fit in what is left, one byte at least per item. */
    int readCount() throws IOException {
        long n = readUnsigned();
        if (n > remaining()) throw new IOException("count " + n + " past the end");
        return (int) n;
    }

    byte[] readBytes() throws IOException {
        long n = readUnsigned();
        if (n == 0) return null;
        if (n - 1 > remaining()) throw new IOException("length " + (n - 1) + " past the end");
        int len = (int) (n - 1);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return b;
    }

    String readString() throws IOException {
        long n = readUnsigned();
        if (n == 0) return null;
        if (n - 1 > remaining()) throw new IOException("length " + (n - 1) + " past the end");
        int len = (int) (n - 1);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }
}

package io.jwren;

import io.jwren.spi.Storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads the lines that START inside a byte range of an object, so that splitting an object into ranges
 * reads every line exactly once: a range that does not begin at 0 skips the line already under way (the
 * range before owns it), and the last line is read past the range's end until its newline. Lines end at
 * {@code \n}; a {@code \r} before it is dropped; bytes are decoded as UTF-8 per whole line, so a character
 * split by a range boundary is never cut. Internal: users go through {@code io.jwren.ObjectChunk}.
 */
final class ChunkLineReader {
    /** Read beyond the range's end in one go, where the last line usually ends. */
    static final int OVERHANG = 64 * 1024;
    /** Then, for a line longer than that, further reads of this size. */
    static final int CONTINUATION = 1 << 20;

    private final Storage storage;
    private final String key;
    private final long objectSize;
    private InputStream in;
    private long pos;      // position of the next byte `in` yields
    private long inEnd;    // where the current read stops

    private ChunkLineReader(Storage storage, String key, long objectSize) {
        this.storage = storage;
        this.key = key;
        this.objectSize = objectSize;
    }

    /** Calls {@code sink} for each line that starts in {@code [offset, offset + length)} of the object. */
    static void forEachLine(Storage storage, String key, long offset, long length, long objectSize, Consumer<String> sink) {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must be 0 or more");
        long end = Math.min(objectSize, offset + length);
        if (offset >= end) return;
        ChunkLineReader r = new ChunkLineReader(storage, key, objectSize);
        try {
            if (offset == 0) {
                r.openAt(0, end + OVERHANG);
            } else {
                // From the byte before the range: if it is a newline, a line starts right at offset.
                r.openAt(offset - 1, end + OVERHANG);
                if (!r.skipPastNewline()) return; // the line under way runs to the end: not ours
            }
            byte[] line = new byte[256];
            while (r.pos < end) {
                int n = 0;
                for (int b; (b = r.read()) >= 0; ) {
                    if (b == '\n') break;
                    if (n == line.length) line = Arrays.copyOf(line, n * 2);
                    line[n++] = (byte) b;
                }
                if (n > 0 && line[n - 1] == '\r') n--;
                sink.accept(new String(line, 0, n, StandardCharsets.UTF_8));
            }
        } finally {
            r.close();
        }
    }

    private void openAt(long from, long until) {
        close();
        pos = from;
        inEnd = Math.min(objectSize, Math.max(until, from + 1));
        in = new BufferedInputStream(storage.openRange(key, from, inEnd - from), 1 << 16);
    }

    /** The next byte, -1 at the object's end; continues with further range reads past the first. */
    private int read() {
        if (pos >= objectSize) return -1;
        if (pos >= inEnd) openAt(pos, pos + CONTINUATION);
        try {
            int b = in.read();
            if (b < 0) throw new IOException("object " + key + " in " + storage.uri() + " ended at " + pos
                    + " before its size " + objectSize + " (changed while read?)");
            pos++;
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean skipPastNewline() {
        for (int b; (b = read()) >= 0; ) if (b == '\n') return true;
        return false;
    }

    private void close() {
        if (in == null) return;
        try {
            // Drain a short rest rather than drop the connection under it (S3 clients then reuse it).
            if (inEnd - pos <= 2L * OVERHANG) in.transferTo(java.io.OutputStream.nullOutputStream());
            in.close();
        } catch (IOException ignored) {
            // a read-only range: nothing to lose
        }
        in = null;
    }
}

package io.jwren.engine.protocol;

import io.jwren.spi.Abortable;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects bytes in memory up to a limit; past it, moves them to a new storage object and streams the
 * rest there ({@link Storage#create}, a multipart upload on S3), so a huge value never needs one array.
 */
public final class SpillingOutputStream extends OutputStream implements Abortable {
    private final Storage storage;
    private final String key;
    private final long limit;
    private byte[] buffer = new byte[256];
    private int count;
    private OutputStream spill;

    public SpillingOutputStream(Storage storage, String key, long limit) {
        this.storage = storage;
        this.key = key;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (spill == null && (long) count + len > limit) {
            spill = storage.create(key);
            spill.write(buffer, 0, count);
            buffer = null;
        }
        if (spill != null) {
            spill.write(b, off, len);
            return;
        }
        if (count + len > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(count + len, buffer.length * 2));
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    /** True once the bytes went to {@link #key()} instead of memory. */
    public boolean spilled() {
        return spill != null;
    }

    public String key() {
        return key;
    }

    /** The bytes held in memory; only when not {@link #spilled()}. */
    public byte[] bytes() {
        return Arrays.copyOf(buffer, count);
    }

    /** Drops the stored object, if the bytes spilled. */
    @Override
    public void abort() {
        if (spill != null) Abortable.discard(spill);
    }

    /** Completes the stored object, if the bytes spilled. */
    @Override
    public void close() throws IOException {
        if (spill != null) spill.close();
    }
}

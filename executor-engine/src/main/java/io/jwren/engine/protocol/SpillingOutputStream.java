package io.jwren.engine.protocol;

import io.jwren.spi.Abortable;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Collects bytes in memory up to a limit; past it, moves them to a new storage object and streams the
 * rest there ({@link Storage#create}, a multipart upload on S3), so a huge value never needs one array.
 * What is stored may be a signed form of the bytes (a tag appended, or a tag per block): the bytes held in memory
 * are always the plain content.
 */
public final class SpillingOutputStream extends OutputStream implements Abortable {
    private final Storage storage;
    private final String key;
    private final long limit;
    private final UnaryOperator<OutputStream> storedForm;
    private byte[] buffer = new byte[256];
    private int count;
    /** The stream from {@link Storage#create}, once spilled: what {@link #abort()} drops. */
    private OutputStream created;
    /** What the content is written to once spilled: {@link #created} through {@link #storedForm}. */
    private OutputStream spill;

    /** Stores the bytes as they are, if they spill. */
    public SpillingOutputStream(Storage storage, String key, long limit) {
        this(storage, key, limit, stored -> stored);
    }

    /**
     * @param storedForm wraps the stream to storage in one that writes the stored form of what it is given (and
     *                   completes it when closed); made only when the bytes spill, as most stay in memory and a
     *                   signature for them would cost more than they do
     */
    public SpillingOutputStream(Storage storage, String key, long limit, UnaryOperator<OutputStream> storedForm) {
        this.storage = storage;
        this.key = key;
        this.limit = limit;
        this.storedForm = storedForm;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (spill == null && (long) count + len > limit) {
            created = storage.create(key);
            spill = storedForm.apply(created);
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
        if (created != null) Abortable.discard(created);
    }

    /** Completes the stored object, if the bytes spilled. */
    @Override
    public void close() throws IOException {
        if (spill != null) spill.close();
    }
}

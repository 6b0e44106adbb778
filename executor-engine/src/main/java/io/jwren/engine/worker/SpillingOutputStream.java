package io.jwren.engine.worker;

import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Storage;

import javax.crypto.Mac;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects bytes in memory up to a limit; past it, moves them to a new storage object and streams the
 * rest there ({@link Storage#create}, a multipart upload on S3), so a huge value never needs one array.
 */
final class SpillingOutputStream extends OutputStream {
    private final Storage storage;
    private final String key;
    private final long limit;
    private byte[] buffer = new byte[256];
    private int count;
    private OutputStream spill;
    private final ObjectSigner signer;
    /** The running tag of the stored object, when the job is signed: appended to it at close. */
    private Mac mac;

    /** @param signer the job's signer, whose tag ends a stored object; null for none */
    SpillingOutputStream(Storage storage, String key, long limit, ObjectSigner signer) {
        this.storage = storage;
        this.key = key;
        this.limit = limit;
        this.signer = signer;
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
            // started only now: most values stay inline, and a tag per value would cost more than the value
            if (signer != null) mac = signer.start(key);
            if (mac != null) mac.update(buffer, 0, count);
            buffer = null;
        }
        if (spill != null) {
            spill.write(b, off, len);
            if (mac != null) mac.update(b, off, len);
            return;
        }
        if (count + len > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(count + len, buffer.length * 2));
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    /** True once the bytes went to {@link #key()} instead of memory. */
    boolean spilled() {
        return spill != null;
    }

    String key() {
        return key;
    }

    /** The bytes held in memory; only when not {@link #spilled()}. */
    byte[] bytes() {
        return Arrays.copyOf(buffer, count);
    }

    /** Completes the stored object, if the bytes spilled, ending it with its tag when signed. */
    @Override
    public void close() throws IOException {
        if (spill == null) return;
        if (mac != null) spill.write(mac.doFinal());
        spill.close();
    }
}

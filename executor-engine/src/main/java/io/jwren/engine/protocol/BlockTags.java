package io.jwren.engine.protocol;

import io.jwren.ProtocolException;
import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The layout of a signed object that is read by ranges ({@code inputs}, {@code inputs.index}): its content in blocks
 * of {@link #BLOCK} bytes, each followed by its tag, which covers the key {@code <object>#<block number>} and the
 * block's bytes. A reader of a range reads the blocks that hold it, checks each, and keeps the range: one request,
 * and a tag per block rather than per record, which costs nothing per call. The content's length comes from the
 * signed manifest, so a truncated or shortened object fails its check too.
 */
public final class BlockTags {
    /** Content bytes per block. */
    public static final int BLOCK = 4096;
    private static final int STRIDE = BLOCK + ObjectSigner.TAG_BYTES;

    private BlockTags() {}

    /** {@return how many bytes the stored object has for {@code content} bytes of content} */
    public static long storedLength(long content) {
        return content + (content + BLOCK - 1) / BLOCK * ObjectSigner.TAG_BYTES;
    }

    /**
     * A stream that writes what it is given to {@code sink} with a tag after each block; {@link #finish()} (or
     * closing it) tags the last, shorter block. Closing it closes the sink.
     */
    public static final class TaggingStream extends FilterOutputStream {
        private final ObjectSigner signer;
        private final String key;
        private HmacSha256 mac;
        private int inBlock;
        private long block;

        /**
         * @param sink   where the stored bytes go
         * @param signer the job's signer
         * @param key    the object's key, which each block's tag covers
         */
        public TaggingStream(OutputStream sink, ObjectSigner signer, String key) {
            super(sink);
            this.signer = signer;
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (mac == null) mac = signer.start(key + "#" + block);
                int n = Math.min(len, BLOCK - inBlock);
                out.write(b, off, n);
                mac.update(b, off, n);
                inBlock += n;
                off += n;
                len -= n;
                if (inBlock == BLOCK) endBlock();
            }
        }

        private void endBlock() throws IOException {
            out.write(mac.doFinal());
            mac = null;
            inBlock = 0;
            block++;
        }

        /** Tags the last block, if it holds anything; write nothing after. */
        public void finish() throws IOException {
            if (inBlock > 0) endBlock();
        }

        /** Tags the last block, then closes the sink. */
        @Override
        public void close() throws IOException {
            finish();
            super.close();
        }
    }

    /**
     * The stored form of a whole content.
     *
     * @param signer  the job's signer
     * @param key     the key it is stored as
     * @param content what it holds
     */
    public static byte[] seal(ObjectSigner signer, String key, byte[] content) {
        byte[] stored = new byte[Math.toIntExact(storedLength(content.length))];
        int at = 0;
        for (int from = 0, k = 0; from < content.length; from += BLOCK, k++) {
            int n = Math.min(BLOCK, content.length - from);
            System.arraycopy(content, from, stored, at, n);
            System.arraycopy(signer.tag(key + "#" + k, content, from, n), 0, stored, at + n, ObjectSigner.TAG_BYTES);
            at += n + ObjectSigner.TAG_BYTES;
        }
        return stored;
    }

    /** {@return the stored form of {@code content}: block-tagged under {@code signer}, or as it is when that is null} */
    public static byte[] stored(ObjectSigner signer, String key, byte[] content) {
        return signer == null ? content : seal(signer, key, content);
    }

    /**
     * Reads content bytes {@code [offset, offset + length)} of a block-tagged object in one request, and checks every
     * block they lie in before returning them.
     *
     * @param storage the storage
     * @param key     the object's key
     * @param offset  where the range starts in the content
     * @param length  its length
     * @param content the content's whole length, from the signed manifest
     * @param signer  the job's signer
     * @throws ProtocolException naming the object, if a block fails its check, or the range lies outside the content
     */
    public static byte[] readRange(Storage storage, String key, long offset, long length, long content, ObjectSigner signer) {
        if (offset < 0 || length < 0 || offset + length > content || length > Integer.MAX_VALUE - 2 * STRIDE)
            throw ObjectSigner.refused(key, "the range " + offset + "+" + length + " lies outside its " + content
                    + " bytes of content");
        if (length == 0) return new byte[0];
        long first = offset / BLOCK;
        long last = (offset + length - 1) / BLOCK;
        long start = first * STRIDE;
        long end = last * STRIDE + Math.min(BLOCK, content - last * BLOCK) + ObjectSigner.TAG_BYTES;
        byte[] stored;
        try {
            stored = storage.getRange(key, start, end - start);
        } catch (NoSuchKeyException e) {
            throw new ProtocolException("object '" + key + "' is missing from " + storage.uri(), key, e);
        } catch (StorageException | UncheckedIOException e) {
            // A storage may refuse a range past an object's end. Its size tells a shortened object, which no retry
            // mends, from trouble reaching the storage, which a retry may: only the first is an integrity refusal.
            long size;
            try {
                size = storage.size(key);
            } catch (RuntimeException unknown) {
                throw e;
            }
            long signed = storedLength(content);
            if (size < signed)
                throw ObjectSigner.refused(key, "it is shorter than its signed length (" + size + " of " + signed + " bytes)");
            throw e;
        }
        byte[] out = new byte[(int) length];
        for (long k = first; k <= last; k++) {
            int at = (int) ((k - first) * STRIDE);
            int n = (int) Math.min(BLOCK, content - k * BLOCK);
            if (at + n + ObjectSigner.TAG_BYTES > stored.length)
                throw ObjectSigner.refused(key, "it is shorter than its signed length");
            ObjectSigner.check(key, signer.tag(key + "#" + k, stored, at, n),
                    Arrays.copyOfRange(stored, at + n, at + n + ObjectSigner.TAG_BYTES));
            long from = Math.max(offset, k * BLOCK);
            long to = Math.min(offset + length, k * BLOCK + n);
            System.arraycopy(stored, at + (int) (from - k * BLOCK), out, (int) (from - offset), (int) (to - from));
        }
        return out;
    }
}

package io.jwren.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Object storage as jwren uses it: flat keys with {@code /} separators, whole-object writes, ranged
 * reads, listing by prefix. Implementations are thread-safe. Failures are {@link io.jwren.StorageException}s
 * naming the storage and key; a missing key is a {@link NoSuchKeyException}.
 */
public interface Storage extends AutoCloseable {

    /** {@return the URI this storage was opened from, e.g. {@code file:///tmp/jwren} or {@code s3://bucket/prefix}} */
    String uri();

    /**
     * Stores {@code data} at {@code key}, replacing what was there.
     *
     * @param key  the object's key
     * @param data its whole content
     */
    void put(String key, byte[] data);

    /**
     * Writes only if nothing is stored at {@code key} yet ({@code If-None-Match: *}). Returns false when
     * the key already existed; its content is left as it was. This makes result writes first-wins.
     *
     * @param key  the object's key
     * @param data its whole content
     * @return true if this call stored it
     */
    boolean putIfAbsent(String key, byte[] data);

    /**
     * A stream whose bytes become the object at {@code key} when it is closed; nothing is visible
     * before. For large objects: implementations bound their memory (multipart uploads, temp files).
     * Streams should implement {@link Abortable}, so that a writer that fails can drop the object.
     * The default buffers the bytes in memory and {@link #put}s them on close.
     *
     * @param key the object's key
     * @return a stream to write the object's content to, then close
     */
    default OutputStream create(String key) {
        class Buffered extends ByteArrayOutputStream implements Abortable {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    put(key, toByteArray());
                }
            }

            @Override
            public void abort() {
                closed = true;
            }
        }
        return new Buffered();
    }

    /**
     * Reads a whole object as a stream.
     *
     * @param key the object's key
     * @return its content; the caller closes it
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    InputStream open(String key);

    /**
     * Reads {@code length} bytes from {@code offset} (an HTTP Range request on object stores).
     *
     * @param key    the object's key
     * @param offset the first byte to read
     * @param length how many bytes to read; fewer come if the object ends first
     * @return the range's content; the caller closes it
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    InputStream openRange(String key, long offset, long length);

    /**
     * Reads a whole object into memory.
     *
     * @param key the object's key
     * @return its content
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    default byte[] get(String key) {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from " + uri(), e);
        }
    }

    /**
     * Reads a byte range into memory. The default reads {@link #openRange}, and returns fewer bytes if the
     * object ends first; implementations may fail instead.
     *
     * @param key    the object's key
     * @param offset the first byte to read
     * @param length how many bytes to read, at most {@link Integer#MAX_VALUE}
     * @return the range's content
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    default byte[] getRange(String key, long offset, long length) {
        try (InputStream in = openRange(key, offset, length)) {
            return in.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from " + uri(), e);
        }
    }

    /**
     * Whether an object is stored at a key.
     *
     * @param key the object's key
     * @return true if there is one
     */
    boolean exists(String key);

    /**
     * The object's length in bytes. Stores answer without reading it; the default reads it whole.
     *
     * @param key the object's key
     * @return its length
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    default long size(String key) {
        return get(key).length;
    }

    /**
     * Lists keys by prefix.
     *
     * @param prefix the start of the keys wanted; empty for all
     * @return the keys that start with {@code prefix}, sorted
     */
    List<String> list(String prefix);

    /**
     * Deletes every object whose key starts with {@code prefix}.
     *
     * @param prefix the start of the keys to delete; empty deletes everything
     */
    void deletePrefix(String prefix);

    /**
     * Deletes the object at {@code key} only; nothing when there is none. The default deletes through
     * {@link #deletePrefix} when no other key starts with {@code key}, and is unsupported otherwise: stores
     * delete one object directly.
     *
     * @param key the object's key
     * @throws UnsupportedOperationException if this store has no direct delete and other keys start with {@code key}
     */
    default void delete(String key) {
        List<String> under = list(key);
        if (under.isEmpty()) return;
        if (!under.equals(List.of(key)))
            throw new UnsupportedOperationException(uri() + " cannot delete '" + key + "' alone: other keys start with it");
        deletePrefix(key);
    }

    /** Releases clients and threads; the default holds none. */
    @Override
    default void close() {}

    /**
     * When the object was last written, for removing old objects safely; the default cannot tell.
     *
     * @param key the object's key
     * @return the time of its last write, or null when this store cannot tell
     * @throws NoSuchKeyException if there is no object at {@code key}
     */
    default java.time.Instant lastModified(String key) {
        if (!exists(key)) throw new NoSuchKeyException(uri(), key);
        return null;
    }

    /**
     * Copies {@code in} to {@link #create(String)}; convenience for uploads. Does not close {@code in}.
     *
     * @param key the object's key
     * @param in  the content
     */
    default void putStream(String key, InputStream in) {
        OutputStream out = create(key);
        try {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            // a broken copy is dropped, never published truncated
            Abortable.discard(out);
            if (e instanceof RuntimeException re) throw re;
            throw new UncheckedIOException("writing " + key + " to " + uri(), (IOException) e);
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + key + " to " + uri(), e);
        }
    }
}

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

    /** The URI this storage was opened from, e.g. {@code file:///tmp/jwren} or {@code s3://bucket/prefix}. */
    String uri();

    void put(String key, byte[] data);

    /**
     * Writes only if nothing is stored at {@code key} yet ({@code If-None-Match: *}). Returns false when
     * the key already existed; its content is left as it was. This makes result writes first-wins.
     */
    boolean putIfAbsent(String key, byte[] data);

    /**
     * A stream whose bytes become the object at {@code key} when it is closed; nothing is visible
     * before. For large objects: implementations bound their memory (multipart uploads, temp files).
     * Streams should implement {@link Abortable}, so that a writer that fails can drop the object.
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

    /** Reads a whole object as a stream. */
    InputStream open(String key);

    /** Reads {@code length} bytes from {@code offset} (an HTTP Range request on object stores). */
    InputStream openRange(String key, long offset, long length);

    default byte[] get(String key) {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from " + uri(), e);
        }
    }

    default byte[] getRange(String key, long offset, long length) {
        try (InputStream in = openRange(key, offset, length)) {
            return in.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from " + uri(), e);
        }
    }

    boolean exists(String key);

    /** The object's length in bytes; {@link NoSuchKeyException} if there is none. Stores answer without reading it. */
    default long size(String key) {
        return get(key).length;
    }

    /** Keys that start with {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** Deletes every key that starts with {@code prefix}. */
    void deletePrefix(String prefix);

    @Override
    default void close() {}

    /** Copies {@code in} to {@link #create(String)}; convenience for uploads. */
    default void putStream(String key, InputStream in) {
        try (OutputStream out = create(key)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + key + " to " + uri(), e);
        }
    }
}

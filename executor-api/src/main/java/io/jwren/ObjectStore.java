package io.jwren;

import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The executor's storage as a place for the user's own objects: Lithops' {@code Storage} for the JVM. Keys are
 * relative to the {@code jwren.storage} location ({@code s3://bucket/prefix/} or {@code file:///dir/}), with
 * {@code /} separators. jwren's own areas, {@code jobs/} and {@code classes/}, can be read and listed but never
 * written or deleted through it.
 *
 * <p>A store is {@link Serializable}: a function that captures it gets a copy that reopens the same storage where
 * it runs, with that side's own credentials (a role, the environment). A copy carries the storage's location and
 * the settings jwren forwards to workers ({@link io.jwren.spi.Settings#forWorkers}, such as an S3 endpoint or
 * region), never a secret. Each JVM opens a storage once per location and settings and keeps it open for its life.
 *
 * <pre>{@code
 * ObjectStore store = ex.storage();
 * store.put("in/words.txt", text.getBytes(UTF_8));
 * ex.submit(() -> {
 *     byte[] words = store.get("in/words.txt").readAllBytes();
 *     store.put("out/count", String.valueOf(words.length).getBytes(UTF_8));
 *     return null;
 * }).get();
 * }</pre>
 *
 * Failures are {@link StorageException}s naming the storage and the key.
 */
public interface ObjectStore extends Serializable {

    /**
     * A store over any location, such as another bucket holding input data; {@link Executor#storage()} is the one
     * over the executor's own storage. Opened with {@code config} here, and with the settings it forwards to workers
     * ({@link io.jwren.spi.Settings#forWorkers}) where a copy is used.
     *
     * @param location a storage root, e.g. {@code s3://bucket/texts/} or {@code file:///data/}
     * @param config   the settings to open it with: pass {@code executor.config()}
     * @return a store whose keys are relative to {@code location}; nothing is opened before its first use
     */
    static ObjectStore of(String location, Config config) {
        return new StoredObjects(location, io.jwren.spi.Settings.forWorkers(config), config);
    }

    /** {@return the storage location keys are relative to, e.g. {@code s3://bucket/prefix}} */
    String location();

    /**
     * Stores {@code data} at {@code key}, replacing what was there.
     *
     * @param key  the object's key, relative to {@link #location()}
     * @param data its whole content
     * @throws IllegalArgumentException if {@code key} is in one of jwren's own areas, or is not a plain key
     */
    void put(String key, byte[] data);

    /**
     * Stores a file's content at {@code key}, replacing what was there. The file is streamed, never read whole
     * into memory; a failed upload leaves nothing at the key.
     *
     * @param key  the object's key, relative to {@link #location()}
     * @param file the file to upload
     * @throws IllegalArgumentException     if {@code key} is in one of jwren's own areas, or is not a plain key
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    void put(String key, Path file);

    /**
     * Reads a whole object.
     *
     * @param key the object's key, relative to {@link #location()}
     * @return its content; the caller closes it
     * @throws io.jwren.spi.NoSuchKeyException if there is no object at {@code key}; its message names key and storage
     */
    InputStream get(String key);

    /**
     * Reads {@code length} bytes from {@code offset}: a range request on S3.
     *
     * @param key    the object's key, relative to {@link #location()}
     * @param offset the first byte to read, from 0
     * @param length how many bytes to read; fewer come when the object ends first
     * @return the range's content; the caller closes it
     * @throws io.jwren.spi.NoSuchKeyException if there is no object at {@code key}
     * @throws IllegalArgumentException        if {@code offset} or {@code length} is negative
     */
    InputStream get(String key, long offset, long length);

    /**
     * The object's length in bytes, without reading it.
     *
     * @param key the object's key, relative to {@link #location()}
     * @return its length
     * @throws io.jwren.spi.NoSuchKeyException if there is no object at {@code key}
     */
    long size(String key);

    /**
     * Lists keys by prefix.
     *
     * @param prefix the start of the keys wanted, relative to {@link #location()}; empty for all
     * @return the keys that start with {@code prefix}, sorted
     */
    List<String> list(String prefix);

    /**
     * Deletes the object at {@code key} only, not the keys that merely start with it; nothing when there is none.
     *
     * @param key the object's key, relative to {@link #location()}
     * @throws IllegalArgumentException if {@code key} is in one of jwren's own areas, or is not a plain key
     */
    void delete(String key);
}

package io.jwren;

import io.jwren.spi.Storage;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A byte range of one stored object, to map over: Lithops' {@code obj_chunk_size} partitioning for the
 * JVM. {@link #split} lists the objects under a location and cuts each into ranges of at most a given
 * size; each call then reads its range where it runs, straight from the store, and {@link #forEachLine}
 * gives every line of the objects to exactly one chunk, the one in which the line starts.
 *
 * <pre>{@code
 * List<ObjectChunk> chunks = ObjectChunk.split("s3://my-bucket/logs/", 64 << 20, ex.config());
 * CallFuture<Long> lines = ex.mapReduce(c -> { long[] n = {0}; c.forEachLine(l -> n[0]++); return n[0]; },
 *                                       chunks, Long::sum);
 * }</pre>
 *
 * <p>A chunk carries the store's location and the settings the registry forwards to workers
 * ({@link io.jwren.spi.Settings#forWorkers}: how to reach S3, such as its endpoint and region), never a secret:
 * workers reach the store with their own credentials (role, environment). Each JVM opens a store once per
 * location and settings and keeps it open for its life, since workers run many chunks.
 *
 * @param storage    the store's root, e.g. {@code s3://my-bucket/logs/} or {@code file:///data/}
 * @param settings   the {@code jwren.*} settings to open it with; where the chunk is read they win over that
 *                   JVM's own config chain
 * @param key        the object, relative to {@code storage}
 * @param offset     first byte of the range
 * @param length     bytes in the range
 * @param objectSize the object's whole size, for reading a last line past the range's end
 */
public record ObjectChunk(String storage, Map<String, String> settings, String key, long offset, long length,
                          long objectSize) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the range and copies the settings.
     *
     * @param storage    see {@link #storage()}
     * @param settings   see {@link #settings()}
     * @param key        see {@link #key()}
     * @param offset     see {@link #offset()}
     * @param length     see {@link #length()}
     * @param objectSize see {@link #objectSize()}
     * @throws IllegalArgumentException if the range is not inside the object
     */
    public ObjectChunk {
        settings = Map.copyOf(settings);
        if (offset < 0 || length < 0 || offset + length > objectSize)
            throw new IllegalArgumentException("range " + offset + "+" + length + " is outside " + key + " of " + objectSize + " bytes");
    }

    /**
     * The objects under {@code location} cut into ranges of at most {@code chunkBytes}, in key order. The
     * location is a store root ({@code s3://bucket/dir/}) or one with a key prefix ({@code s3://bucket/dir/part-});
     * empty objects give no chunk. {@code config} supplies the store's settings: pass {@code executor.config()}.
     *
     * @param location   a store root or a root followed by a key prefix
     * @param chunkBytes the most bytes in one chunk, at least 1
     * @param config     the settings to open the store with, and to hand on to the chunks
     * @return the chunks, by key and then by offset
     * @throws IllegalArgumentException if {@code chunkBytes} is less than 1, {@code location} is not a URI with a
     *                                  path, or no storage provider handles its scheme
     */
    public static List<ObjectChunk> split(String location, long chunkBytes, Config config) {
        if (chunkBytes < 1) throw new IllegalArgumentException("chunkBytes must be at least 1, was " + chunkBytes);
        int slash = location.lastIndexOf('/');
        if (slash < 0 || location.indexOf("://") < 0)
            throw new IllegalArgumentException("not a storage location: '" + location + "' (use s3://bucket/prefix/ or file:///dir/)");
        String root = location.substring(0, slash + 1);
        String keyPrefix = location.substring(slash + 1);
        return split(ObjectStore.of(root, config), keyPrefix, chunkBytes);
    }

    /**
     * The objects of {@code store} whose keys start with {@code keyPrefix}, cut into ranges of at most
     * {@code chunkBytes}, in key order; empty objects give no chunk. The chunks carry the store's location and
     * the settings it forwards to workers, so they read where they run just as the store does.
     *
     * <pre>{@code
     * List<ObjectChunk> chunks = ObjectChunk.split(ex.storage(), "logs/", 64 << 20);
     * }</pre>
     *
     * @param store      the store, usually {@link Executor#storage()}
     * @param keyPrefix  the start of the keys to split; empty for every object
     * @param chunkBytes the most bytes in one chunk, at least 1
     * @return the chunks, by key and then by offset
     * @throws IllegalArgumentException if {@code chunkBytes} is less than 1
     */
    public static List<ObjectChunk> split(ObjectStore store, String keyPrefix, long chunkBytes) {
        if (chunkBytes < 1) throw new IllegalArgumentException("chunkBytes must be at least 1, was " + chunkBytes);
        Map<String, String> settings = store instanceof StoredObjects s ? s.settings() : Map.of();
        List<ObjectChunk> chunks = new ArrayList<>();
        for (String key : store.list(keyPrefix)) {
            long size = store.size(key);
            for (long off = 0; off < size; off += chunkBytes)
                chunks.add(new ObjectChunk(store.location(), settings, key, off, Math.min(chunkBytes, size - off), size));
        }
        return chunks;
    }

    /**
     * {@link #split(String, long, Config)} with the settings of the usual config chain.
     *
     * @param location   a store root or a root followed by a key prefix
     * @param chunkBytes the most bytes in one chunk, at least 1
     * @return the chunks, by key and then by offset
     */
    public static List<ObjectChunk> split(String location, long chunkBytes) {
        return split(location, chunkBytes, Config.resolve(Map.of()));
    }

    /**
     * Calls {@code action} with each line that starts in this range, decoded as UTF-8, without its {@code \n}
     * or {@code \r\n}. A range that does not begin at 0 skips the line already under way; the last line is read
     * past the range's end until its newline. So the chunks of an object see each of its lines exactly once.
     *
     * @param action what to do with each line; runs on this thread, in order
     * @throws StorageException             if the object cannot be opened
     * @throws java.io.UncheckedIOException if reading fails midway, or the object is shorter than when it was split
     */
    public void forEachLine(Consumer<String> action) {
        ChunkLineReader.forEachLine(open(storage, settings), key, offset, length, objectSize, action);
    }

    /** {@return the range's bytes as they are, for records that are not lines} */
    public byte[] bytes() {
        return open(storage, settings).getRange(key, offset, length);
    }

    private static Storage open(String location, Map<String, String> settings) {
        return StoredObjects.open(location, settings);
    }

    @Override
    public String toString() {
        return storage + key + "[" + offset + ", " + (offset + length) + ")";
    }
}

package io.jwren;

import io.jwren.spi.Providers;
import io.jwren.spi.Storage;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A chunk carries the store's location and its non-secret {@code jwren.s3.*} settings (endpoint,
 * region, path style), never credentials: workers reach the store with their own (role, environment).
 *
 * @param storage    the store's root, e.g. {@code s3://my-bucket/logs/} or {@code file:///data/}
 * @param settings   the {@code jwren.*} settings to open it with
 * @param key        the object, relative to {@code storage}
 * @param offset     first byte of the range
 * @param length     bytes in the range
 * @param objectSize the object's whole size, for reading a last line past the range's end
 */
public record ObjectChunk(String storage, Map<String, String> settings, String key, long offset, long length,
                          long objectSize) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Stores opened in this JVM, one per location and settings, kept for its life (workers run many chunks). */
    private static final Map<String, Storage> OPEN = new ConcurrentHashMap<>();

    public ObjectChunk {
        settings = Map.copyOf(settings);
        if (offset < 0 || length < 0 || offset + length > objectSize)
            throw new IllegalArgumentException("range " + offset + "+" + length + " is outside " + key + " of " + objectSize + " bytes");
    }

    /**
     * The objects under {@code location} cut into ranges of at most {@code chunkBytes}, in key order. The
     * location is a store root ({@code s3://bucket/dir/}) or one with a key prefix ({@code s3://bucket/dir/part-});
     * empty objects give no chunk. {@code config} supplies the store's settings: pass {@code executor.config()}.
     */
    public static List<ObjectChunk> split(String location, long chunkBytes, Config config) {
        if (chunkBytes < 1) throw new IllegalArgumentException("chunkBytes must be at least 1, was " + chunkBytes);
        int slash = location.lastIndexOf('/');
        if (slash < 0 || location.indexOf("://") < 0)
            throw new IllegalArgumentException("not a storage location: '" + location + "' (use s3://bucket/prefix/ or file:///dir/)");
        String root = location.substring(0, slash + 1);
        String keyPrefix = location.substring(slash + 1);
        Map<String, String> settings = forwardable(config);
        Storage store = open(root, settings);
        List<ObjectChunk> chunks = new ArrayList<>();
        for (String key : store.list(keyPrefix)) {
            long size = store.size(key);
            for (long off = 0; off < size; off += chunkBytes)
                chunks.add(new ObjectChunk(store.uri(), settings, key, off, Math.min(chunkBytes, size - off), size));
        }
        return chunks;
    }

    /** {@link #split(String, long, Config)} with the settings of the usual config chain. */
    public static List<ObjectChunk> split(String location, long chunkBytes) {
        return split(location, chunkBytes, Config.resolve(Map.of()));
    }

    /** Calls {@code action} with each line that starts in this range (without its {@code \n} or {@code \r\n}). */
    public void forEachLine(Consumer<String> action) {
        ChunkLineReader.forEachLine(open(storage, settings), key, offset, length, objectSize, action);
    }

    /** The range's bytes as they are, for records that are not lines. */
    public byte[] bytes() {
        return open(storage, settings).getRange(key, offset, length);
    }

    private static Storage open(String location, Map<String, String> settings) {
        return OPEN.computeIfAbsent(location + " " + new TreeMap<>(settings),
                k -> Providers.storage(location, Config.resolve(settings, "the chunk's settings")));
    }

    /** The store settings a chunk may carry to workers: jwren.s3.*, nothing that looks like a secret. */
    /** What a worker needs to open the storage: the settings the registry forwards to workers, never a secret. */
    static Map<String, String> forwardable(Config config) {
        return io.jwren.spi.Settings.forWorkers(config);
    }

    @Override
    public String toString() {
        return storage + key + "[" + offset + ", " + (offset + length) + ")";
    }
}

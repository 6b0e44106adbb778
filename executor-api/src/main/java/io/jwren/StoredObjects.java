package io.jwren;

import io.jwren.spi.Providers;
import io.jwren.spi.Settings;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ObjectStore} over a storage location: what a copy carries is the location and the settings forwarded to
 * workers; the storage itself is opened once per JVM, location and settings (the one {@link ObjectChunk} reads too).
 */
final class StoredObjects implements ObjectStore {
    private static final long serialVersionUID = 1L;
    /** jwren's own areas (docs/PROTOCOL.md): class bundles and jobs. Readable, never written through a store. */
    static final List<String> RESERVED = List.of("jobs/", "classes/");
    /** Storages opened in this JVM, one per location and settings, kept for its life (workers run many calls). */
    private static final Map<String, Storage> OPEN = new ConcurrentHashMap<>();

    private final String location;
    private final TreeMap<String, String> settings;
    /** The client's whole configuration, for opening there; a copy elsewhere opens with {@link #settings}. */
    private final transient Config config;

    /** The storage an executor configured with {@code config} stages its jobs in. */
    StoredObjects(Config config) {
        this(config.get("jwren.storage"), Settings.forWorkers(config), config);
    }

    StoredObjects(String location, Map<String, String> settings, Config config) {
        this.location = location;
        this.settings = new TreeMap<>(settings);
        this.config = config;
    }

    /** The storage at {@code location}, opened with {@code settings} over this JVM's own chain, once per JVM. */
    static Storage open(String location, Map<String, String> settings) {
        return open(location, settings, null);
    }

    private static Storage open(String location, Map<String, String> settings, Config config) {
        return OPEN.computeIfAbsent(location + " " + new TreeMap<>(settings), k -> Providers.storage(location,
                config != null ? config : Config.resolve(settings, "the settings forwarded with the storage")));
    }

    private Storage storage() {
        return open(location, settings, config);
    }

    Map<String, String> settings() {
        return settings;
    }

    @Override
    public String location() {
        return storage().uri();
    }

    @Override
    public void put(String key, byte[] data) {
        storage().put(writable(key), data);
    }

    @Override
    public void put(String key, Path file) {
        String k = writable(key);
        try (InputStream in = Files.newInputStream(file)) {
            storage().putStream(k, in);
        } catch (IOException e) {
            throw new UncheckedIOException("uploading " + file + " to " + k + " in " + location, e);
        }
    }

    @Override
    public InputStream get(String key) {
        return storage().open(plain(key));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0)
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of '" + key + "': offset and length must not be negative");
        return storage().openRange(plain(key), offset, length);
    }

    @Override
    public long size(String key) {
        return storage().size(plain(key));
    }

    @Override
    public List<String> list(String prefix) {
        return storage().list(prefix);
    }

    @Override
    public void delete(String key) {
        storage().delete(writable(key));
    }

    /** A key with no empty, {@code .} or {@code ..} segment, that does not end in {@code /}. */
    private static String plain(String key) {
        if (key == null || key.isEmpty() || key.endsWith("/"))
            throw new IllegalArgumentException("not an object key: '" + key + "' (use a/b/name)");
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals(".."))
                throw new IllegalArgumentException("not an object key: '" + key + "' (no empty, '.' or '..' parts)");
        }
        return key;
    }

    private String writable(String key) {
        plain(key);
        for (String area : RESERVED) {
            if (key.startsWith(area) || key.equals(area.substring(0, area.length() - 1)))
                throw new IllegalArgumentException("'" + key + "' is in jwren's own area " + area + " of " + location
                        + ", which jwren's jobs use: put and delete your objects under other keys (e.g. data/...)");
        }
        return key;
    }

    @Override
    public String toString() {
        return "ObjectStore[" + location + "]";
    }
}

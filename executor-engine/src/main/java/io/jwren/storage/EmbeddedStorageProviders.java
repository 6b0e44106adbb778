package io.jwren.storage;

import io.jwren.Config;
import io.jwren.spi.Storage;
import io.jwren.spi.StorageProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The storages that ship with the engine: a local directory (file:) and in-memory (mem:). */
public final class EmbeddedStorageProviders {
    private EmbeddedStorageProviders() {}

    /** {@code file:///dir}: a local directory, the default. */
    public static final class File implements StorageProvider {
        @Override
        public String scheme() {
            return "file";
        }

        @Override
        public Storage open(URI uri, Config config) {
            if (uri.getPath() == null || uri.getPath().isEmpty())
                throw new IllegalArgumentException("a file storage URI needs an absolute path, like file:///tmp/jwren; got " + uri);
            return new LocalDirStorage(Path.of(uri));
        }
    }

    /** {@code mem://name}: heap storage shared by name within this JVM. */
    public static final class Memory implements StorageProvider {
        private static final Map<String, ConcurrentSkipListMap<String, byte[]>> STORES = new ConcurrentHashMap<>();

        @Override
        public String scheme() {
            return "mem";
        }

        @Override
        public Storage open(URI uri, Config config) {
            String name = uri.getAuthority() == null ? "default" : uri.getAuthority();
            return new InMemoryStorage("mem://" + name, STORES.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>()));
        }
    }
}

package io.jwren.local;

import io.jwren.Config;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import io.jwren.spi.StorageProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test storage {@code counting:///dir}: the local directory {@code file:///dir}, counting every read this JVM makes of
 * each key. It names itself by the directory's {@code file:} URI, so worker JVMs, which know nothing of it, open the
 * directory itself: only the client's reads are counted.
 */
public final class CountingStorageProvider implements StorageProvider {
    private static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();

    /** {@return how many times this JVM read keys starting with {@code prefix}} */
    static int reads(String prefix) {
        return READS.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue().get()).sum();
    }

    @Override
    public String scheme() {
        return "counting";
    }

    @Override
    public Storage open(URI uri, Config config) {
        return new Counting(Providers.storage("file://" + uri.getPath(), config));
    }

    private record Counting(Storage inner) implements Storage {
        private static void read(String key) {
            READS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public String uri() {
            return inner.uri();
        }

        @Override
        public void put(String key, byte[] data) {
            inner.put(key, data);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] data) {
            return inner.putIfAbsent(key, data);
        }

        @Override
        public OutputStream create(String key) {
            return inner.create(key);
        }

        @Override
        public InputStream open(String key) {
            read(key);
            return inner.open(key);
        }

        @Override
        public InputStream openRange(String key, long offset, long length) {
            read(key);
            return inner.openRange(key, offset, length);
        }

        @Override
        public byte[] get(String key) {
            read(key);
            return inner.get(key);
        }

        @Override
        public byte[] getRange(String key, long offset, long length) {
            read(key);
            return inner.getRange(key, offset, length);
        }

        @Override
        public boolean exists(String key) {
            return inner.exists(key);
        }

        @Override
        public long size(String key) {
            return inner.size(key);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void deletePrefix(String prefix) {
            inner.deletePrefix(prefix);
        }

        @Override
        public Instant lastModified(String key) {
            return inner.lastModified(key);
        }

        @Override
        public void putStream(String key, InputStream in) {
            inner.putStream(key, in);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

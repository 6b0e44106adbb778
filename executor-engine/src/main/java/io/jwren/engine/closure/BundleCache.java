package io.jwren.engine.closure;

import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class bundles on local disk and the class loaders over them. Bundles are content-addressed, so a file
 * already in the cache is never fetched again, and a loader is reused by every job that ships the same
 * bundles. An edited class has a new hash, so it gets a new bundle and a new loader: old code never runs.
 * Workers load jobs through it; a client attaching to a job decodes its results through it.
 */
public final class BundleCache {
    private static final int MAX_LOADERS = 16;
    private final Path dir;
    private final ClassLoader parent;
    private final Map<List<String>, ClassLoader> loaders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, ClassLoader> eldest) {
            return size() > MAX_LOADERS;
        }
    };

    /** The cache directory: {@code jwren.worker.cache}, else {@code jwren-cache} under the temp directory. */
    public static Path directory(io.jwren.Config config) {
        return Path.of(config.get("jwren.worker.cache", Path.of(System.getProperty("java.io.tmpdir"), "jwren-cache").toString()));
    }

    public BundleCache(Path dir, ClassLoader parent) {
        this.dir = dir;
        this.parent = parent;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bundle cache " + dir, e);
        }
    }

    /** A parent-first loader over the given bundles, fetched from storage as needed. */
    public synchronized ClassLoader loaderFor(List<String> bundleKeys, Storage storage) {
        if (bundleKeys.isEmpty()) return parent;
        ClassLoader cached = loaders.get(bundleKeys);
        if (cached != null) return cached;
        List<URL> urls = new ArrayList<>();
        for (String key : bundleKeys) urls.add(toUrl(fetch(key, storage)));
        ClassLoader loader = new URLClassLoader("jwren-job", urls.toArray(new URL[0]), parent);
        loaders.put(List.copyOf(bundleKeys), loader);
        return loader;
    }

    private Path fetch(String key, Storage storage) {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        if (Files.isRegularFile(file)) return file;
        try {
            Path tmp = Files.createTempFile(dir, "bundle", ".part");
            Files.write(tmp, storage.get(key));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache class bundle " + key + " in " + dir, e);
        }
    }

    private static URL toUrl(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}

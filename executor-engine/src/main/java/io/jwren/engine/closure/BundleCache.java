package io.jwren.engine.closure;

import io.jwren.engine.ProcessId;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.PermissionCollection;
import java.security.Permissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Class bundles on local disk and the class loaders over them. Bundles are content-addressed, so a file
 * already in the cache is never fetched again, and a loader is reused by every job that ships the same
 * bundles. An edited class has a new hash, so it gets a new bundle and a new loader: old code never runs.
 * Workers load jobs through it; a client attaching to a job decodes its results through it.
 */
public final class BundleCache {
    private static final int MAX_LOADERS = 16;
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
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

    /** A parent-first loader over the given bundles, fetched from storage as needed, unchecked (an unsigned job). */
    public synchronized ClassLoader loaderFor(List<String> bundleKeys, Storage storage) {
        return loaderFor(bundleKeys, null, storage);
    }

    /**
     * A parent-first loader over the given bundles, fetched from storage as needed; when hashes are given (a signed
     * job's manifest lists them), each bundle's bytes must have its SHA-256 before a class of it can load.
     *
     * @param hashes hex SHA-256 of each bundle, in the same order, or null to load them unchecked
     * @throws io.jwren.ProtocolException naming the bundle whose bytes fail the check
     */
    public synchronized ClassLoader loaderFor(List<String> bundleKeys, List<String> hashes, Storage storage) {
        if (bundleKeys.isEmpty()) return parent;
        List<String> cacheKey = new ArrayList<>(bundleKeys);
        if (hashes != null) cacheKey.addAll(hashes);
        ClassLoader cached = loaders.get(cacheKey);
        if (cached != null) return cached;
        List<URL> urls = new ArrayList<>();
        for (int i = 0; i < bundleKeys.size(); i++)
            urls.add(toUrl(fetch(bundleKeys.get(i), hashes == null ? null : hashes.get(i), storage)));
        ClassLoader loader = new BundleClassLoader(urls.toArray(new URL[0]), parent);
        loaders.put(List.copyOf(cacheKey), loader);
        return loader;
    }

    private Path fetch(String key, String sha256, Storage storage) {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        try {
            // A file cached for an unchecked job is checked like a download: only checked bytes reach a loader.
            if (Files.isRegularFile(file) && (sha256 == null || sha256.equals(ObjectSigner.sha256Hex(Files.readAllBytes(file)))))
                return file;
            byte[] bytes = storage.get(key);
            if (sha256 != null && !sha256.equals(ObjectSigner.sha256Hex(bytes)))
                throw ObjectSigner.refused(key, "its SHA-256 is not the one the job's signed manifest lists");
            // Not Files.createTempFile: its SecureRandom names cost a worker's cold start ~15 ms of JCA setup.
            Path tmp = dir.resolve(file.getFileName() + "." + ProcessId.uniqueName() + "-" + TEMP_COUNTER.incrementAndGet() + ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache class bundle " + key + " in " + dir, e);
        }
    }

    /**
     * A loader over bundle files that grants their classes no permissions of their own: there is no security manager
     * to ask, and URLClassLoader's default (a FilePermission for the jar) initializes the JDK's security properties,
     * milliseconds of a worker's cold start.
     */
    private static final class BundleClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        BundleClassLoader(URL[] urls, ClassLoader parent) {
            super("jwren-job", urls, parent);
        }

        @Override
        protected PermissionCollection getPermissions(CodeSource source) {
            return new Permissions();
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

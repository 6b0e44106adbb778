package io.jwren.engine.closure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns the walk's findings into content-addressed bundles. Loose classes go into one jar whose key
 * is the SHA-256 of its sorted (name, class-hash) list, so the same code gives the same key in every
 * run and an edited class gives a new one; the jar itself is written byte-for-byte reproducibly.
 * Third-party jars are shipped as they are, keyed by the SHA-256 of the file, which is computed once
 * per file version (path, size, modification time).
 */
final class BundleAssembler {
    private static final int MAX_CACHED = 64;
    private static final long ZIP_TIME = 315_532_800_000L + 86_400_000L; // 1980-01-02, inside zip's date range

    private record JarVersion(Path path, long size, long modified) {}

    private final Map<String, ClassBundle> looseBundles = lru();
    private final Map<JarVersion, ClassBundle> jarBundles = lru();

    /** The bundle of the given loose classes (internal name to entry, sorted by name). */
    ClassBundle loose(Map<String, ClassDependencyWalker.Entry> classes) {
        MessageDigest listDigest = sha256();
        for (ClassDependencyWalker.Entry e : classes.values()) {
            listDigest.update(e.name().getBytes(StandardCharsets.UTF_8));
            listDigest.update((byte) ' ');
            listDigest.update(sha256().digest(e.bytes()));
            listDigest.update((byte) '\n');
        }
        String key = "classes/" + HexFormat.of().formatHex(listDigest.digest()) + ".jar";
        synchronized (looseBundles) {
            ClassBundle cached = looseBundles.get(key);
            if (cached != null) return cached;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (ClassDependencyWalker.Entry e : classes.values()) {
                ZipEntry entry = new ZipEntry(e.name() + ".class");
                entry.setTime(ZIP_TIME);
                zip.putNextEntry(entry);
                zip.write(e.bytes());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClassBundle bundle = ClassBundle.ofBytes(key, buffer.toByteArray());
        synchronized (looseBundles) {
            looseBundles.put(key, bundle);
        }
        return bundle;
    }

    /** The bundle that is this jar, whole. */
    ClassBundle jar(Path jar) {
        JarVersion version;
        try {
            BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
            version = new JarVersion(jar, attrs.size(), attrs.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar + ", which the closure needs", e);
        }
        synchronized (jarBundles) {
            ClassBundle cached = jarBundles.get(version);
            if (cached != null) return cached;
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar + ", which the closure needs", e);
        }
        ClassBundle bundle = ClassBundle.ofJar("classes/" + HexFormat.of().formatHex(digest.digest()) + ".jar", jar, version.size());
        synchronized (jarBundles) {
            jarBundles.put(version, bundle);
        }
        return bundle;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_CACHED;
            }
        };
    }
}

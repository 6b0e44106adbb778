package io.jwren.engine.closure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A content-addressed jar of classes a job needs: either the user's own directory and in-memory classes
 * (one deterministic jar keyed by the hash of its sorted class list) or a third-party jar shipped whole
 * (keyed by its SHA-256). Stored once under {@link #key()} and reused by every later job.
 */
public final class ClassBundle {
    private final String key;
    private final byte[] bytes; // null when the bundle is a jar file read on demand
    private final Path file;
    private final long size;

    private ClassBundle(String key, byte[] bytes, Path file, long size) {
        this.key = key;
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    static ClassBundle ofBytes(String key, byte[] bytes) {
        return new ClassBundle(key, bytes, null, bytes.length);
    }

    static ClassBundle ofJar(String key, Path jar, long size) {
        return new ClassBundle(key, null, jar, size);
    }

    /** Storage key, {@code classes/<sha256>.jar}. */
    public String key() {
        return key;
    }

    public long size() {
        return size;
    }

    /** The jar's bytes; a third-party jar is read from disk only when it is actually uploaded. */
    public byte[] bytes() {
        if (bytes != null) return bytes;
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to ship it as class bundle " + key, e);
        }
    }

    /** The jar on disk this bundle is, or null for a bundle built in memory. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return key + (file != null ? " (" + file.getFileName() + ")" : "") + ", " + size + " bytes";
    }
}

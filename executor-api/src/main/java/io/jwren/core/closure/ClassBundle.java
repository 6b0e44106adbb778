package io.jwren.core.closure;

/**
 * A content-addressed jar of classes a job needs: either the user's own directory and in-memory classes
 * (one deterministic jar keyed by the hash of its sorted class list) or a third-party jar shipped whole
 * (keyed by its SHA-256). Stored once under {@link #key()} and reused by every later job.
 *
 * @param key   storage key, {@code classes/<sha256>.jar}
 * @param bytes the jar's bytes
 */
public record ClassBundle(String key, byte[] bytes) {}

package io.jwren.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code jwren.*} setting, declared once by the module that reads it (through a {@link SettingsProvider}).
 * Everything that maps, forwards, filters or lists settings derives from these declarations: the environment
 * names, what reaches workers, what is never printed.
 *
 * @param key          the full key, {@code jwren.} and dot-separated words that may contain dashes
 * @param kind         what a value looks like, for messages and {@code jwren config}
 * @param defaultValue the value when no layer sets it, or null when unset means "decided at run time" (then
 *                     {@code meaning} says how)
 * @param meaning      one line for users: what it changes, and its default when that is not a plain value
 * @param secret       never printed, logged or forwarded in clear
 * @param forWorkers   workers need it wherever they run (storage and how to reach it): backends forward it
 */
public record Setting(String key, Kind kind, String defaultValue, String meaning, boolean secret, boolean forWorkers) {
    /**
     * The form of a key, compiled once: every JVM, a worker's too, declares all settings as it starts, and
     * {@code String.matches} compiled the expression again for each (several ms of a cold worker's start).
     */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("jwren(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

    /** What a value looks like. */
    public enum Kind {
        /** Free text. */
        TEXT,
        /** A whole number. */
        NUMBER,
        /** A decimal number. */
        DECIMAL,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** {@code 30s}, {@code 5m}, {@code PT10M}. */
        DURATION,
        /** A URI: {@code file:///dir}, {@code s3://bucket/prefix}, {@code https://host}. */
        URI,
        /** A file system path. */
        PATH
    }

    /**
     * Checks the key's form.
     *
     * @param key          see {@link #key()}
     * @param kind         see {@link #kind()}
     * @param defaultValue see {@link #defaultValue()}
     * @param meaning      see {@link #meaning()}
     * @param secret       see {@link #secret()}
     * @param forWorkers   see {@link #forWorkers()}
     * @throws NullPointerException     if {@code key}, {@code kind} or {@code meaning} is null
     * @throws IllegalArgumentException if {@code key} is not {@code jwren.} and lower-case words with dashes
     */
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meaning, "meaning");
        if (!KEY.matcher(key).matches())
            throw new IllegalArgumentException("a setting's key is jwren. and lower-case words with dashes, was '" + key + "'");
    }

    /**
     * A setting read by the client only, not secret.
     *
     * @param key          the full key
     * @param kind         what a value looks like
     * @param defaultValue the value when no layer sets it, or null
     * @param meaning      one line for users
     * @return the setting
     */
    public static Setting of(String key, Kind kind, String defaultValue, String meaning) {
        return new Setting(key, kind, defaultValue, meaning, false, false);
    }

    /** {@return the same setting, forwarded to workers} */
    public Setting forwardedToWorkers() {
        return new Setting(key, kind, defaultValue, meaning, secret, true);
    }

    /** {@return the same setting, never printed or forwarded in clear} */
    public Setting markedSecret() {
        return new Setting(key, kind, defaultValue, meaning, true, forWorkers);
    }

    /** {@return the environment variable that sets it: {@code jwren.s3.part-size} is {@code JWREN_S3_PART_SIZE}} */
    public String envName() {
        return envName(key);
    }

    /**
     * The environment variable for any key, declared or not: {@code jwren.x.y-z} is {@code JWREN_X_Y_Z}.
     *
     * @param key a {@code jwren.*} key
     * @return the key upper-cased, with dots and dashes as underscores
     */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

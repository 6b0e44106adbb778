package io.jwren;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The resolved {@code jwren.*} settings. Immutable. Each key takes its value from the first of:
 * explicit settings (builder), system properties {@code jwren.x.y}, environment {@code JWREN_X_Y},
 * {@code ./jwren.properties}, {@code ~/.jwren/config.properties}, built-in defaults.
 * {@link #source(String)} tells which one it came from. The defaults and the environment names are those the
 * settings registry declares ({@link io.jwren.spi.Settings}). Only keys that start with {@code jwren.} are read
 * from system properties and files; values are trimmed.
 */
public final class Config {
    private final Map<String, String> values;
    private final Map<String, String> sources;

    private Config(Map<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /**
     * The chain resolved for this process, with {@code explicit} on top.
     *
     * @param explicit settings that win over every other layer; a null value sets nothing
     * @return the resolved config, with {@code explicit} reported as from "builder"
     * @throws java.io.UncheckedIOException if a properties file exists but cannot be read
     */
    public static Config resolve(Map<String, String> explicit) {
        return resolve(explicit, "builder");
    }

    /**
     * The chain resolved for this process, with {@code explicit} on top, reported as from {@code explicitSource}.
     *
     * @param explicit       settings that win over every other layer; a null value sets nothing
     * @param explicitSource what {@link #source(String)} says for them
     * @return the resolved config
     * @throws java.io.UncheckedIOException if a properties file exists but cannot be read
     */
    public static Config resolve(Map<String, String> explicit, String explicitSource) {
        return resolve(explicit, explicitSource, System.getProperties(), System.getenv(), Path.of("jwren.properties"),
                Path.of(System.getProperty("user.home", "."), ".jwren", "config.properties"));
    }

    /**
     * The chain resolved from the given layers; for tests and tools.
     *
     * @param explicit         settings that win over every other layer, reported as from "builder"
     * @param systemProperties stands in for {@link System#getProperties()}
     * @param env              stands in for {@link System#getenv()}
     * @param projectFile      stands in for {@code ./jwren.properties}; ignored if it is not a file
     * @param userFile         stands in for {@code ~/.jwren/config.properties}; ignored if it is not a file
     * @return the resolved config
     * @throws java.io.UncheckedIOException if a properties file exists but cannot be read
     */
    public static Config resolve(Map<String, String> explicit, Properties systemProperties, Map<String, String> env,
                                 Path projectFile, Path userFile) {
        return resolve(explicit, "builder", systemProperties, env, projectFile, userFile);
    }

    private static Config resolve(Map<String, String> explicit, String explicitSource, Properties systemProperties,
                                  Map<String, String> env, Path projectFile, Path userFile) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        layer(values, sources, io.jwren.spi.Settings.defaults(), "default");
        layer(values, sources, readProperties(userFile), userFile.toString());
        layer(values, sources, readProperties(projectFile), projectFile.toString());
        Map<String, String> fromEnv = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("JWREN_")) fromEnv.put(envToKey(k), v);
        });
        layer(values, sources, fromEnv, "environment");
        Map<String, String> fromSys = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("jwren.")) fromSys.put(name, systemProperties.getProperty(name));
        }
        layer(values, sources, fromSys, "system property");
        layer(values, sources, explicit, explicitSource);
        return new Config(values, sources);
    }

    /**
     * {@code JWREN_S3_PART_SIZE} -> {@code jwren.s3.part-size}: the declared setting with that environment name
     * (see {@link io.jwren.spi.Settings#keyForEnv}).
     */
    static String envToKey(String env) {
        return io.jwren.spi.Settings.keyForEnv(env);
    }

    private static void layer(Map<String, String> values, Map<String, String> sources, Map<String, String> layer,
                              String source) {
        layer.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v.trim());
                sources.put(k, source);
            }
        });
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jwren config file " + file, e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("jwren.")) m.put(name, p.getProperty(name));
        }
        return m;
    }

    /** {@return a builder that starts from this config's values and sources} */
    public Builder toBuilder() {
        return new Builder(values, sources);
    }

    /**
     * The value of a key.
     *
     * @param key a {@code jwren.*} key
     * @return its value, or null when no layer sets it
     */
    public String get(String key) {
        return values.get(key);
    }

    /**
     * The value of a key, or a fallback.
     *
     * @param key      a {@code jwren.*} key
     * @param fallback what to return when no layer sets the key, or sets it empty
     * @return the value or {@code fallback}
     */
    public String get(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /**
     * Where the value of a key came from.
     *
     * @param key a {@code jwren.*} key
     * @return "builder" (or the source given to {@link #resolve(Map, String)}), "system property", "environment",
     *         the path of a properties file, or "default"; null when no layer sets the key
     */
    public String source(String key) {
        return sources.get(key);
    }

    /**
     * The value of a key as a whole number.
     *
     * @param key      a {@code jwren.*} key
     * @param fallback what to return when no layer sets the key, or sets it empty
     * @return the value or {@code fallback}
     * @throws IllegalArgumentException if the value is not a whole number; the message names its source
     */
    public int getInt(String key, int fallback) {
        String v = get(key, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "' (from " + source(key) + ")");
        }
    }

    /**
     * The value of a key as {@code true} or {@code false}, in any case.
     *
     * @param key      a {@code jwren.*} key
     * @param fallback what to return when no layer sets the key, or sets it empty
     * @return the value or {@code fallback}
     * @throws IllegalArgumentException if the value is neither; the message names its source
     */
    public boolean getBoolean(String key, boolean fallback) {
        String v = get(key, null);
        if (v == null) return fallback;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException(key + " must be true or false, was '" + v + "' (from " + source(key) + ")");
    }

    /**
     * The value of a key as a duration, in a form {@link #parseDuration} reads.
     *
     * @param key      a {@code jwren.*} key
     * @param fallback what to return when no layer sets the key, or sets it empty
     * @return the value or {@code fallback}
     * @throws IllegalArgumentException if the value is not a duration; the message names its source
     */
    public Duration getDuration(String key, Duration fallback) {
        String v = get(key, null);
        if (v == null) return fallback;
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a duration like 30s, 5m or PT30S, was '" + v
                    + "' (from " + source(key) + ")");
        }
    }

    /**
     * Reads a duration as ISO-8601 ({@code PT30S}, {@code P1D}) or as a number with a unit: {@code ms}, {@code s},
     * {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 1.5s}, {@code 5m}). Case and surrounding blanks do
     * not matter; a fraction of a unit is rounded to whole milliseconds.
     *
     * @param v the text
     * @return the duration
     * @throws IllegalArgumentException if {@code v} is neither form, or a number has no unit
     */
    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(s.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(v, e);
        }
        String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                String num = s.substring(0, s.length() - u[0].length()).trim();
                try {
                    return Duration.ofMillis(Math.round(Double.parseDouble(num) * Long.parseLong(u[1])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(v, e);
                }
            }
        }
        throw new IllegalArgumentException(v);
    }

    /** {@return every resolved key and its value, sorted by key, unmodifiable} */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "Config" + values;
    }

    /** Changes to a resolved config; whatever is set here counts as "builder". Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> values;
        private final Map<String, String> sources;

        private Builder(Map<String, String> values, Map<String, String> sources) {
            this.values = new LinkedHashMap<>(values);
            this.sources = new LinkedHashMap<>(sources);
        }

        /**
         * Sets or removes a key.
         *
         * @param key   a key that starts with {@code jwren.}
         * @param value its new value, or null to remove the key (then it has no value, not even a default)
         * @return this builder
         * @throws IllegalArgumentException if {@code key} does not start with {@code jwren.}
         */
        public Builder set(String key, String value) {
            if (!key.startsWith("jwren.")) throw new IllegalArgumentException("config keys start with 'jwren.', got '" + key + "'");
            if (value == null) {
                values.remove(key);
                sources.remove(key);
            } else {
                values.put(key, value);
                sources.put(key, "builder");
            }
            return this;
        }

        /** {@return a new config with the changes made so far} */
        public Config build() {
            return new Config(values, sources);
        }
    }
}

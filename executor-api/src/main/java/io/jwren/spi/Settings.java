package io.jwren.spi;

import io.jwren.Config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of every declared {@code jwren.*} setting: the API's own and those of each {@link SettingsProvider}
 * on the class path. The environment mapping, worker forwarding, secret filtering and the warnings about unknown
 * keys all derive from it.
 */
public final class Settings {
    /** Keys under this prefix belong to jwren's own tests and are never reported as unknown. */
    static final String TEST_PREFIX = "jwren.test.";
    private static final String STORAGE = "jwren.storage";
    private static volatile Map<String, Setting> declared;

    private Settings() {}

    /**
     * Every declared setting by key, sorted. Loaded once per JVM, from the providers the first call finds.
     *
     * @return the settings, unmodifiable
     * @throws IllegalStateException if two declarations of one key differ, or two keys share an environment name
     */
    public static Map<String, Setting> declared() {
        Map<String, Setting> d = declared;
        if (d == null) declared = d = load();
        return d;
    }

    private static Map<String, Setting> load() {
        List<Setting> all = new ArrayList<>(CoreSettings.settings());
        for (SettingsProvider p : ServiceLoader.load(SettingsProvider.class, Providers.loader(SettingsProvider.class)))
            all.addAll(p.settings());
        Map<String, Setting> byKey = new TreeMap<>();
        Map<String, String> byEnv = new LinkedHashMap<>();
        for (Setting s : all) {
            Setting before = byKey.putIfAbsent(s.key(), s);
            if (before != null && !before.equals(s))
                throw new IllegalStateException("jwren setting " + s.key() + " is declared twice, differently: " + before + " and " + s);
            String other = byEnv.putIfAbsent(s.envName(), s.key());
            if (other != null && !other.equals(s.key()))
                throw new IllegalStateException("jwren settings " + other + " and " + s.key() + " share the environment name " + s.envName());
        }
        return Collections.unmodifiableMap(byKey);
    }

    /**
     * The declaration of a key.
     *
     * @param key a {@code jwren.*} key
     * @return its declared setting, or null
     */
    public static Setting find(String key) {
        return declared().get(key);
    }

    /**
     * The key an environment variable {@code JWREN_...} sets: the declared key with that environment name; for a
     * name no setting declares, its words joined by dots (and then reported as unknown).
     *
     * @param envName a variable name that starts with {@code JWREN_}
     * @return the key it sets
     */
    public static String keyForEnv(String envName) {
        for (Setting s : declared().values()) if (s.envName().equals(envName)) return s.key();
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@return the declared defaults of the settings that have one, in key order} */
    public static Map<String, String> defaults() {
        Map<String, String> out = new LinkedHashMap<>();
        declared().forEach((k, s) -> {
            if (s.defaultValue() != null) out.put(k, s.defaultValue());
        });
        return out;
    }

    /**
     * Whether a value of a key must never be printed or forwarded.
     *
     * @param key a {@code jwren.*} key
     * @return true if it is declared secret, or undeclared and named like a credential (secret, password, token, ...)
     */
    public static boolean isSecret(String key) {
        Setting s = find(key);
        if (s != null) return s.secret();
        String plain = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        for (String word : new String[] {"secret", "password", "token", "credential", "keyid", "accesskey", "privatekey"})
            if (plain.contains(word)) return true;
        return false;
    }

    /**
     * The settings a worker needs, wherever it runs, with this client's values: the declared
     * {@link Setting#forWorkers()} keys that are not secret and that a layer other than the defaults set (a worker
     * has the same defaults; payloads stay small), and always the storage location.
     *
     * @param config the client's resolved settings
     * @return the keys and values to forward, sorted by key
     */
    public static Map<String, String> forWorkers(Config config) {
        Map<String, String> out = new TreeMap<>();
        config.asMap().forEach((k, v) -> {
            Setting s = find(k);
            boolean needed = STORAGE.equals(k) || !"default".equals(config.source(k));
            if (s != null && s.forWorkers() && !s.secret() && v != null && !v.isBlank() && needed) out.put(k, v);
        });
        return out;
    }

    /**
     * One line per key that no module declares, with where it came from and the closest declared key: a typo in a
     * property or an environment variable is otherwise silently ignored. Keys under {@code jwren.test.} are
     * jwren's own tests' and never reported.
     *
     * @param config the resolved settings
     * @return one message per unknown key, in key order; empty when all are known
     */
    public static List<String> unknownKeys(Config config) {
        List<String> out = new ArrayList<>();
        for (String key : config.asMap().keySet()) {
            if (find(key) != null || key.startsWith(TEST_PREFIX)) continue;
            String source = config.source(key);
            String from = "environment".equals(source) ? "environment variable " + Setting.envName(key) : source;
            Setting near = closest(key);
            out.add("unknown jwren setting " + key + " (from " + from + ")" + (near == null ? ""
                    : "; did you mean " + near.key() + ("environment".equals(source) ? " (" + near.envName() + ")" : "") + "?"));
        }
        return out;
    }

    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Logs {@link #unknownKeys} as warnings through the {@link System.Logger} {@code io.jwren}, each line once per JVM.
     *
     * @param config the resolved settings
     */
    public static void warnAboutUnknownKeys(Config config) {
        System.Logger log = System.getLogger("io.jwren");
        for (String line : unknownKeys(config)) if (WARNED.add(line)) log.log(System.Logger.Level.WARNING, line);
    }

    /** The declared key nearest to {@code key} by edit distance, if near enough to be a typo. */
    static Setting closest(String key) {
        Setting best = null;
        int bestDistance = Integer.MAX_VALUE;
        String plain = key.replace('-', '.');
        for (Setting s : declared().values()) {
            int d = s.key().replace('-', '.').equals(plain) ? 0 : distance(key, s.key());
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

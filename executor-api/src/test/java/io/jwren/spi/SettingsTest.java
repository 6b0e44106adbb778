package io.jwren.spi;

import io.jwren.Config;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry with the API's own settings (no other module is on this class path). */
class SettingsTest {
    private static Config resolve(Map<String, String> env, Properties sys) {
        return Config.resolve(Map.of(), sys, env, Path.of("no-such-project.properties"), Path.of("no-such-user.properties"));
    }

    @Test
    void everyDeclaredKeyHasItsOwnEnvironmentNameAndMapsBackExactly() {
        for (Setting s : Settings.declared().values()) {
            assertEquals(s.key(), Settings.keyForEnv(s.envName()), s.toString());
            assertTrue(s.envName().matches("JWREN(_[A-Z0-9]+)+"), s.envName());
        }
        assertEquals("JWREN_SPECULATION_MIN_RUNTIME", Setting.envName("jwren.speculation.min-runtime"));
    }

    @Test
    void environmentVariablesSetTheDashedKeys() {
        Config c = resolve(Map.of("JWREN_CHUNK_SIZE", "7", "JWREN_SPECULATION_MIN_RUNTIME", "2s"), new Properties());
        assertEquals("7", c.get("jwren.chunk-size"));
        assertEquals("environment", c.source("jwren.chunk-size"));
        assertEquals("2s", c.get("jwren.speculation.min-runtime"));
        assertEquals(List.of(), Settings.unknownKeys(c));
    }

    @Test
    void theDefaultsAreTheDeclaredOnes() {
        Config c = resolve(Map.of(), new Properties());
        for (Setting s : Settings.declared().values()) {
            assertEquals(s.defaultValue(), c.get(s.key()), s.key());
            if (s.defaultValue() != null) assertEquals("default", c.source(s.key()), s.key());
        }
    }

    @Test
    void anUnknownKeyIsReportedWithTheClosestDeclaredOne() {
        Properties sys = new Properties();
        sys.setProperty("jwren.retrys", "3");
        sys.setProperty("jwren.test.anything", "x"); // jwren's own tests: never reported
        Config c = resolve(Map.of("JWREN_CHUNKSIZE", "4", "JWREN_ZZZZZZZZZZZZ", "1"), sys);
        List<String> problems = Settings.unknownKeys(c);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains("unknown jwren setting jwren.chunksize (from environment variable JWREN_CHUNKSIZE);"
                + " did you mean jwren.chunk-size (JWREN_CHUNK_SIZE)?"), problems.toString());
        assertTrue(problems.contains("unknown jwren setting jwren.retrys (from system property); did you mean jwren.retries?"),
                problems.toString());
        assertTrue(problems.contains("unknown jwren setting jwren.zzzzzzzzzzzz (from environment variable JWREN_ZZZZZZZZZZZZ)"),
                problems.toString());
    }

    @Test
    void workersGetTheStorageAndNeverASecret() {
        Config c = Config.resolve(Map.of("jwren.storage", "s3://b/p", "jwren.chunk-size", "3",
                "jwren.s3.secret-access-key", "hunter2", "jwren.workers", "9"));
        Map<String, String> forwarded = Settings.forWorkers(c);
        assertEquals("s3://b/p", forwarded.get("jwren.storage"));
        assertFalse(forwarded.containsKey("jwren.chunk-size"), forwarded.toString());
        assertFalse(forwarded.containsValue("hunter2"), forwarded.toString());
        assertTrue(Settings.isSecret("jwren.s3.secret-access-key"));
        assertTrue(Settings.isSecret("jwren.db.Password"));
        assertTrue(Settings.isSecret("jwren.s3.access_key_id"));
        assertFalse(Settings.isSecret("jwren.storage"));
    }

    @Test
    void aKeyMustBeLowerCaseWordsWithDashes() {
        assertThrows(IllegalArgumentException.class, () -> Setting.of("jwren.S3.x", Setting.Kind.TEXT, null, "m"));
        assertThrows(IllegalArgumentException.class, () -> Setting.of("other.key", Setting.Kind.TEXT, null, "m"));
        assertThrows(IllegalArgumentException.class, () -> Setting.of("jwren.a_b", Setting.Kind.TEXT, null, "m"));
    }
}

package io.jwren.s3;

import io.jwren.Config;
import io.jwren.spi.Setting;
import io.jwren.spi.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jwren.s3.* settings through the registry: the environment sets them, workers get them, never a credential. */
class S3SettingsTest {
    @Test
    void theEnvironmentSetsPartSizeAndTheStorageReadsIt() {
        Config c = Config.resolve(Map.of(), new Properties(),
                Map.of("JWREN_S3_PART_SIZE", "16777216", "JWREN_S3_MAX_CONNECTIONS", "12", "JWREN_S3_PATH_STYLE", "true"),
                Path.of("no-such-project.properties"), Path.of("no-such-user.properties"));
        assertEquals("16777216", c.get("jwren.s3.part-size"));
        assertEquals("environment", c.source("jwren.s3.part-size"));
        S3Settings s = S3Settings.from(c);
        assertEquals(16777216, s.partSize());
        assertEquals(12, s.maxConnections());
        assertTrue(s.pathStyle());
        assertEquals(List.of(), Settings.unknownKeys(c));
    }

    @Test
    void everyS3SettingReachesWorkersUnderItsOwnName() {
        Map<String, String> explicit = new java.util.TreeMap<>();
        for (Setting s : Settings.declared().values())
            if (s.key().startsWith("jwren.s3.")) {
                assertTrue(s.forWorkers() && !s.secret(), s.toString());
                assertEquals(s.key(), Settings.keyForEnv(s.envName()));
                explicit.put(s.key(), "1");
            }
        assertEquals(7, explicit.size(), explicit.toString());
        explicit.put("jwren.s3.secret-access-key", "hunter2");
        Map<String, String> forwarded = Settings.forWorkers(Config.resolve(explicit));
        for (String key : explicit.keySet()) if (!key.contains("secret")) assertEquals("1", forwarded.get(key), key);
        assertFalse(forwarded.containsValue("hunter2"), forwarded.toString());
    }
}

package io.jwren;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void eachLayerOverridesTheOnesBelowAndSaysWhereTheValueCameFrom() throws Exception {
        Path user = dir.resolve("user.properties");
        Path project = dir.resolve("jwren.properties");
        Files.writeString(user, "jwren.workers=3\njwren.retries=7\njwren.timeout=5m\njwren.chunk-size=9\njwren.memory=512\n");
        Files.writeString(project, "jwren.workers=4\njwren.retries=6\njwren.timeout=4m\njwren.chunk-size=8\n");
        Map<String, String> env = Map.of("JWREN_WORKERS", "5", "JWREN_RETRIES", "5", "JWREN_TIMEOUT", "3m", "PATH", "/bin");
        Properties sys = new Properties();
        sys.setProperty("jwren.workers", "6");
        sys.setProperty("jwren.retries", "4");
        sys.setProperty("other.key", "x");

        Config c = Config.resolve(Map.of("jwren.workers", "7"), sys, env, project, user);

        assertEquals("7", c.get("jwren.workers"));
        assertEquals("builder", c.source("jwren.workers"));
        assertEquals(4, c.getInt("jwren.retries", 0));
        assertEquals("system property", c.source("jwren.retries"));
        assertEquals(Duration.ofMinutes(3), c.getDuration("jwren.timeout", null));
        assertEquals("environment", c.source("jwren.timeout"));
        assertEquals("8", c.get("jwren.chunk-size"));
        assertEquals(project.toString(), c.source("jwren.chunk-size"));
        assertEquals("512", c.get("jwren.memory"));
        assertEquals(user.toString(), c.source("jwren.memory"));
        assertEquals("threads", c.get("jwren.backend"));
        assertEquals("default", c.source("jwren.backend"));
        assertTrue(c.get("jwren.storage").startsWith("file:/"), c.get("jwren.storage"));
        assertEquals(null, c.get("other.key"));
    }

    @Test
    void environmentNamesMapToTheDeclaredKeys() {
        assertEquals("jwren.chunk-size", Config.envToKey("JWREN_CHUNK_SIZE"));
        assertEquals("jwren.speculation.min-runtime", Config.envToKey("JWREN_SPECULATION_MIN_RUNTIME"));
        // a name no module declares: its words joined by dots, then reported as unknown
        assertEquals("jwren.no.such.thing", Config.envToKey("JWREN_NO_SUCH_THING"));
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertEquals(Duration.ofMillis(500), Config.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(30), Config.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(5), Config.parseDuration("5m"));
        assertEquals(Duration.ofHours(2), Config.parseDuration("2h"));
        assertEquals(Duration.ofSeconds(90), Config.parseDuration("PT1M30S"));
    }

    @Test
    void badValuesNameTheKeyAndWhereTheyCameFrom() {
        Config c = Config.resolve(Map.of("jwren.workers", "many", "jwren.timeout", "soon"), new Properties(), Map.of(),
                dir.resolve("none"), dir.resolve("none2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("jwren.workers", 1));
        assertTrue(e.getMessage().contains("jwren.workers") && e.getMessage().contains("'many'")
                && e.getMessage().contains("builder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.getDuration("jwren.timeout", null));
        assertTrue(e.getMessage().contains("jwren.timeout") && e.getMessage().contains("'soon'"), e.getMessage());
    }

    @Test
    void toBuilderKeepsEverythingAndOverridesOneKey() {
        Config c = Config.resolve(Map.of("jwren.workers", "3"), new Properties(), Map.of(), dir.resolve("a"), dir.resolve("b"));
        Config d = c.toBuilder().set("jwren.retries", "0").build();
        assertEquals("3", d.get("jwren.workers"));
        assertEquals("0", d.get("jwren.retries"));
        assertEquals("2", c.get("jwren.retries"));
        assertThrows(IllegalArgumentException.class, () -> c.toBuilder().set("workers", "1"));
    }
}

package io.jwren.engine;

import io.jwren.Config;
import io.jwren.MapOptions;
import io.jwren.spi.Invocation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InvocationPlannerTest {
    private static Config config(Map<String, String> explicit) {
        return Config.resolve(explicit, new Properties(), Map.of(), Path.of("/nonexistent/a"), Path.of("/nonexistent/b"));
    }

    @Test
    void chunksCoverEveryCallOnceInOrder() {
        InvocationPlanner p = new InvocationPlanner(config(Map.of()));
        JobPlan plan = p.plan("j", 10, MapOptions.builder().chunkSize(3).build(), 2, null, Duration.ofSeconds(2));
        assertEquals(4, plan.invocations().size());
        int next = 0;
        for (Invocation inv : plan.invocations()) {
            assertEquals(next, inv.firstCall());
            next += inv.callCount();
        }
        assertEquals(10, next);
        assertEquals(1, plan.invocations().get(3).callCount());
    }

    @Test
    void autoChunkAimsAtFourInvocationsPerWorker() {
        InvocationPlanner p = new InvocationPlanner(config(Map.of()));
        assertEquals(12_500, p.chunkSize(MapOptions.defaults(), 100_000, 2));
        assertEquals(1, p.chunkSize(MapOptions.defaults(), 10, 10));
        assertEquals(5, new InvocationPlanner(config(Map.of("jwren.chunk-size", "5"))).chunkSize(MapOptions.defaults(), 100, 2));
        assertEquals(7, new InvocationPlanner(config(Map.of("jwren.chunk-size", "5")))
                .chunkSize(MapOptions.builder().chunkSize(7).build(), 100, 2));
    }

    @Test
    void optionsOverrideConfig() {
        InvocationPlanner p = new InvocationPlanner(config(Map.of("jwren.timeout", "30s", "jwren.retries", "4")));
        JobPlan fromConfig = p.plan("j", 1, MapOptions.defaults(), 1, null, Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(30), fromConfig.callTimeout());
        assertEquals(4, fromConfig.retries());
        JobPlan fromOptions = p.plan("j", 1, MapOptions.builder().timeout(Duration.ofSeconds(3)).retries(0).build(), 1, null, Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(3), fromOptions.callTimeout());
        assertEquals(0, fromOptions.retries());
    }
}

package io.jwren.local;

import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An executor's first use of its storage removes finished jobs older than jwren.retention, in the background. */
class RetentionTest {
    @TempDir
    Path dir;

    private Executor executor(Map<String, String> extra) {
        Executor.Builder b = Executor.builder().backend("processes").storage(dir.toUri().toString()).property("jwren.workers", "1");
        extra.forEach(b::property);
        return b.build();
    }

    @Test
    void aNewExecutorRemovesAFinishedJobOlderThanTheRetentionAndKeepsItsOwn() throws Exception {
        String oldJob;
        try (Executor first = executor(Map.of("jwren.retention", "0s"))) { // 0s: keeps everything, sweeps nothing
            var f = first.map((Integer x) -> x + 1, List.of(1, 2));
            assertEquals(List.of(2, 3), f.get(120, TimeUnit.SECONDS));
            oldJob = f.jobId();
        }
        Storage store = Providers.storage(dir.toUri().toString(), Config.resolve(Map.of()));
        // Three days old, as if it had been run then: rewrite the creation time in its manifest.
        String manifestKey = "jobs/" + oldJob + "/manifest";
        String manifest = new String(store.get(manifestKey), StandardCharsets.UTF_8);
        String created = manifest.lines().filter(l -> l.startsWith("created=")).findFirst().orElseThrow();
        store.put(manifestKey, manifest.replace(created, "created=" + Instant.now().minus(Duration.ofDays(3)))
                .getBytes(StandardCharsets.UTF_8));

        String newJob;
        try (Executor second = executor(Map.of())) { // the default retention: one day
            var f = second.map((Integer x) -> x * 2, List.of(1, 2));
            assertEquals(List.of(2, 4), f.get(120, TimeUnit.SECONDS));
            newJob = f.jobId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!store.list("jobs/" + oldJob + "/").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        }
        assertEquals(List.of(), store.list("jobs/" + oldJob + "/"), "the three-day-old finished job is still there");
        assertTrue(store.exists("jobs/" + newJob + "/manifest"), "this executor's own job was removed");
    }
}

package io.jwren.engine;

import io.jwren.Config;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retention sweep on a local directory, with the sweep's "now" and the files' times set by the test. */
class JobRetentionTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    private Storage storage() {
        return Providers.storage(dir.toUri().toString(), Config.resolve(Map.of()));
    }

    /** A job of 2 invocations created {@code age} before NOW, with {@code results} result objects. */
    private static void job(Storage s, String id, Duration age, int results, boolean cancelled, String... bundles) {
        s.put(JobKeys.function(id), new byte[] {1});
        for (int n = 0; n < results; n++) s.put(JobKeys.result(id, n), new byte[] {2});
        if (cancelled) s.put(JobKeys.cancelled(id), new byte[0]);
        s.put(JobKeys.manifest(id), new Manifest(Manifest.PROTOCOL, id, 4, 2, List.of(bundles), 61, 1000,
                NOW.minus(age), "processes").toBytes());
    }

    private void bundle(Storage s, String key, Duration age) throws Exception {
        s.put(key, new byte[] {3});
        Files.setLastModifiedTime(dir.resolve(key), FileTime.from(NOW.minus(age)));
    }

    @Test
    void oldFinishedJobsAndUnusedOldBundlesGoEverythingElseStays() throws Exception {
        Storage s = storage();
        String used = JobKeys.bundle("a".repeat(64));
        String usedByOldJob = JobKeys.bundle("b".repeat(64));
        String unusedOld = JobKeys.bundle("c".repeat(64));
        String unusedYoung = JobKeys.bundle("d".repeat(64));
        job(s, "old-done", Duration.ofDays(3), 2, false, usedByOldJob);
        job(s, "old-cancelled", Duration.ofDays(3), 0, true);
        job(s, "old-running", Duration.ofDays(3), 1, false, used);
        job(s, "young-done", Duration.ofHours(2), 2, false, used);
        s.put(JobKeys.function("never-staged"), new byte[] {1}); // no manifest: a job being staged
        bundle(s, used, Duration.ofDays(5));
        bundle(s, usedByOldJob, Duration.ofDays(5));
        bundle(s, unusedOld, Duration.ofDays(5));
        bundle(s, unusedYoung, Duration.ofHours(1));

        JobRetention.Sweep sweep = JobRetention.sweep(s, DAY, NOW, 100);

        assertEquals(new JobRetention.Sweep(2, 2, 2, true), sweep);
        assertTrue(s.list(JobKeys.job("old-done")).isEmpty());
        assertTrue(s.list(JobKeys.job("old-cancelled")).isEmpty());
        assertTrue(s.exists(JobKeys.manifest("old-running")), "a running job is never removed");
        assertTrue(s.exists(JobKeys.manifest("young-done")));
        assertTrue(s.exists(JobKeys.function("never-staged")), "a job without a manifest may be being staged");
        assertTrue(s.exists(used));
        assertFalse(s.exists(usedByOldJob), "only a removed job used it");
        assertFalse(s.exists(unusedOld));
        assertTrue(s.exists(unusedYoung), "a new bundle may belong to a job being staged");
    }

    @Test
    void aSweepStopsAfterItsShareOfManifestsAndThenLeavesTheBundles() throws Exception {
        Storage s = storage();
        for (int i = 0; i < 5; i++) job(s, "old-" + i, Duration.ofDays(3), 2, false);
        String unusedOld = JobKeys.bundle("c".repeat(64));
        bundle(s, unusedOld, Duration.ofDays(5));
        JobRetention.Sweep first = JobRetention.sweep(s, DAY, NOW, 3);
        assertEquals(3, first.jobsRemoved());
        assertFalse(first.complete());
        assertTrue(s.exists(unusedOld), "bundles are judged only when every manifest was read");
        JobRetention.Sweep second = JobRetention.sweep(s, DAY, NOW, 3);
        assertEquals(new JobRetention.Sweep(2, 0, 1, true), second);
        assertEquals(List.of(), s.list(JobKeys.JOBS));
    }

    @Test
    void aReusedBundleHalfTheRetentionOldIsWrittenAgain() throws Exception {
        Storage s = storage();
        String key = JobKeys.bundle("e".repeat(64));
        JobStager stager = new JobStager(s, DAY);
        assertTrue(stager.needsWriting(key, NOW), "absent");
        bundle(s, key, Duration.ofHours(2));
        assertFalse(stager.needsWriting(key, NOW), "young enough to outlive any sweep that could see it unused");
        bundle(s, key, Duration.ofHours(13));
        assertTrue(stager.needsWriting(key, NOW), "past half the retention: written again before a sweep may take it");
        assertFalse(new JobStager(s, Duration.ZERO).needsWriting(key, NOW), "kept for ever: present is enough");
    }
}

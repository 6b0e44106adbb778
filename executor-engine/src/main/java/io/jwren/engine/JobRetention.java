package io.jwren.engine;

import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Removes finished jobs older than {@code jwren.retention} from a storage, and the class bundles no job refers to
 * any more, so storage does not grow without bound. Bounded in work: one listing of {@code jobs/} and of
 * {@code classes/}, and at most {@code maxManifests} manifests read per sweep; later sweeps go on where it stopped
 * (what was removed is no longer listed).
 *
 * <p>A job counts as finished when it was cancelled or every invocation has a result object; a running job is
 * never removed. A bundle goes only when no remaining manifest names it and it was last written longer ago than
 * the retention: a job being staged writes its bundles before its manifest, and {@link JobStager} rewrites a
 * bundle it reuses once the bundle is half the retention old, so a bundle in use is always younger.
 */
final class JobRetention {
    /** What one sweep did. */
    record Sweep(int jobsRemoved, int jobsKept, int bundlesRemoved, boolean complete) {}

    private JobRetention() {}

    static Sweep sweep(Storage storage, Duration retention, Instant now, int maxManifests) {
        Map<String, int[]> resultsPerJob = new HashMap<>();
        Set<String> cancelled = new HashSet<>();
        Set<String> withManifest = new HashSet<>();
        for (String key : storage.list(JobKeys.JOBS)) {
            String rest = key.substring(JobKeys.JOBS.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) continue;
            String id = rest.substring(0, slash);
            if (key.equals(JobKeys.manifest(id))) withManifest.add(id);
            else if (key.equals(JobKeys.cancelled(id))) cancelled.add(id);
            else if (JobKeys.invocationOfResult(id, key) >= 0) resultsPerJob.computeIfAbsent(id, k -> new int[1])[0]++;
        }
        int removed = 0;
        int kept = 0;
        int read = 0;
        Set<String> referenced = new HashSet<>();
        for (String id : withManifest) {
            if (read++ >= maxManifests) return new Sweep(removed, kept, 0, false);
            Manifest manifest;
            try {
                manifest = Manifest.parse(JobKeys.manifest(id), storage.get(JobKeys.manifest(id)));
            } catch (NoSuchKeyException e) {
                continue; // removed meanwhile
            } catch (RuntimeException e) {
                kept++; // unreadable: never removed on a guess, and its bundles may still be needed
                return new Sweep(removed, kept, 0, false);
            }
            int results = resultsPerJob.getOrDefault(id, new int[1])[0];
            boolean finished = cancelled.contains(id) || results >= manifest.invocations();
            boolean old = manifest.created().plus(retention).isBefore(now);
            if (finished && old) {
                storage.deletePrefix(JobKeys.job(id));
                removed++;
            } else {
                kept++;
                referenced.addAll(manifest.bundles());
            }
        }
        int bundlesRemoved = 0;
        for (String key : storage.list(JobKeys.CLASSES)) {
            if (referenced.contains(key)) continue;
            Instant written;
            try {
                written = storage.lastModified(key);
            } catch (NoSuchKeyException e) {
                continue;
            }
            if (written == null || !written.plus(retention).isBefore(now)) continue;
            storage.deletePrefix(key);
            bundlesRemoved++;
        }
        return new Sweep(removed, kept, bundlesRemoved, true);
    }
}

package io.jwren.cli;

import io.jwren.ProtocolException;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.spi.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * What storage says about one job: its manifest and its result objects, as any client re-derives it.
 * Counts calls from the results that exist, so a job of a client that died still shows its progress.
 */
record JobRecord(Manifest manifest, List<InvocationResult> results, List<String> unreadable, boolean cancelled) {

    /** Job ids in storage, from their manifests (a job without one was never fully staged). */
    static List<String> ids(Storage storage) {
        List<String> ids = new ArrayList<>();
        for (String key : storage.list(JobKeys.JOBS)) {
            if (!key.endsWith("/manifest")) continue;
            String id = key.substring(JobKeys.JOBS.length(), key.length() - "/manifest".length());
            if (!id.contains("/")) ids.add(id);
        }
        return ids;
    }

    /**
     * @param signer the key's signer ({@code jwren.signing-key}), which checks a signed job's manifest and results; null
     *               reads them unchecked, which is safe here: the CLI decodes text and numbers from them, no objects
     *               (no Kryo, no class loading)
     */
    static JobRecord read(Storage storage, String jobId, ObjectSigner signer) {
        String manifestKey = JobKeys.manifest(jobId);
        byte[] manifestBytes = storage.get(manifestKey);
        Manifest manifest = Manifest.parse(manifestKey, manifestBytes,
                Manifest.carriesSignature(manifestBytes) ? signer : null);
        List<InvocationResult> results = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        boolean cancelled = false;
        for (String key : storage.list(JobKeys.job(jobId))) {
            if (key.equals(JobKeys.cancelled(jobId))) cancelled = true;
            if (JobKeys.invocationOfResult(jobId, key) < 0) continue;
            try {
                byte[] stored = storage.get(key);
                results.add(!manifest.signed() ? ResultCodec.decode(key, stored)
                        : signer != null ? ResultCodec.decode(key, stored, signer)
                        : ResultCodec.decode(key, ObjectSigner.contentUnchecked(stored)));
            } catch (ProtocolException e) {
                unreadable.add(key);
            }
        }
        return new JobRecord(manifest, results, unreadable, cancelled);
    }

    long callsDone() {
        return results.stream().mapToLong(r -> r.calls().size()).sum();
    }

    long callsFailed() {
        return results.stream().flatMap(r -> r.calls().stream()).filter(c -> !c.ok()).count();
    }

    /** Calls of the first invocation their worker JVM ran (cold starts), as the workers measured. */
    long coldStarts() {
        return results.stream().flatMap(r -> r.calls().stream()).filter(c -> c.metrics().coldStart()).count();
    }

    /**
     * The share of the calls' run time their threads spent on a CPU, over the calls whose worker measured it;
     * -1 if none did (results of an older release).
     */
    double cpuShare() {
        long cpuNanos = 0;
        long runMs = 0;
        for (InvocationResult r : results) {
            for (CallOutcome c : r.calls()) {
                if (c.metrics().cpuNanos() < 0) continue;
                cpuNanos += c.metrics().cpuNanos();
                runMs += Math.max(0, c.endMs() - c.startMs());
            }
        }
        if (runMs == 0) return cpuNanos > 0 ? 1 : -1;
        return cpuNanos / (runMs * 1e6);
    }

    String state() {
        if (cancelled) return "cancelled";
        if (results.size() + unreadable.size() < manifest.invocations()) return "running";
        return callsFailed() > 0 || !unreadable.isEmpty() ? "failed" : "done";
    }

    /** The result object holding {@code call}, or null when it has not been written. */
    InvocationResult resultOf(int call) {
        for (InvocationResult r : results) {
            for (CallOutcome c : r.calls()) if (c.index() == call) return r;
        }
        return null;
    }
}

package io.jwren.core;

import io.jwren.core.closure.ClassBundle;
import io.jwren.core.closure.PackagedClosure;
import io.jwren.core.protocol.InputsCodec;
import io.jwren.core.protocol.JobKeys;
import io.jwren.core.protocol.Manifest;
import io.jwren.spi.Storage;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a job's objects to storage: class bundles (each once per storage), the function, the inputs
 * and their index, then the manifest last, so a job whose manifest exists is complete.
 */
final class JobStager {
    private final Storage storage;
    private final Set<String> bundlesPresent = ConcurrentHashMap.newKeySet();

    JobStager(Storage storage) {
        this.storage = storage;
    }

    void stage(Manifest manifest, PackagedClosure closure, InputsCodec.Encoded inputs) {
        String jobId = manifest.jobId();
        for (ClassBundle bundle : closure.bundles()) {
            if (bundlesPresent.contains(bundle.key())) continue;
            if (!storage.exists(bundle.key())) storage.put(bundle.key(), bundle.bytes());
            bundlesPresent.add(bundle.key());
        }
        storage.put(JobKeys.function(jobId), closure.function());
        storage.put(JobKeys.inputs(jobId), inputs.data());
        storage.put(JobKeys.inputsIndex(jobId), inputs.index());
        storage.put(JobKeys.manifest(jobId), manifest.toBytes());
    }
}

package io.jwren.engine;

import io.jwren.engine.closure.ClassBundle;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.spi.Abortable;
import io.jwren.spi.Storage;

import com.esotericsoftware.kryo.Kryo;
import io.jwren.StorageException;

import java.io.IOException;
import java.io.OutputStream;
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

    /**
     * Encodes the inputs straight into their storage object as they are iterated: a map's inputs may be
     * far larger than memory, made on demand by the caller's iterable. Whatever was written is removed
     * if an input cannot be shipped; a refused upload leaves nothing to remove.
     */
    InputsCodec.Encoded streamInputs(String jobId, Kryo kryo, Iterable<?> inputs) {
        String key = JobKeys.inputs(jobId);
        OutputStream out = storage.create(key);
        try {
            InputsCodec.Encoded encoded = InputsCodec.encodeTo(kryo, inputs, out);
            out.close();
            return encoded;
        } catch (IOException e) {
            Abortable.discard(out);
            throw new StorageException("cannot upload the inputs of job " + jobId + " to " + storage.uri() + ": "
                    + e.getMessage(), key, e);
        } catch (StorageException e) {
            // The upload itself was refused: nothing was stored (a failed multipart upload is aborted), and
            // a cleanup would only be refused the same way, doubling the error the caller reads.
            Abortable.discard(out);
            throw e;
        } catch (RuntimeException | Error e) {
            // An input that cannot be shipped, or the caller's iterable failing: the half-written object
            // is dropped, never published, and anything else of the job removed.
            Abortable.discard(out);
            try {
                storage.deletePrefix(JobKeys.job(jobId));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    void stage(Manifest manifest, PackagedClosure closure, InputsCodec.Encoded inputs) {
        String jobId = manifest.jobId();
        for (ClassBundle bundle : closure.bundles()) {
            if (bundlesPresent.contains(bundle.key())) continue;
            if (!storage.exists(bundle.key())) storage.put(bundle.key(), bundle.bytes());
            bundlesPresent.add(bundle.key());
        }
        storage.put(JobKeys.function(jobId), closure.function());
        if (inputs.data() != null) storage.put(JobKeys.inputs(jobId), inputs.data()); // else streamed already
        storage.put(JobKeys.inputsIndex(jobId), inputs.index());
        storage.put(JobKeys.manifest(jobId), manifest.toBytes());
    }
}

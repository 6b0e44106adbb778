package io.jwren.engine;

import io.jwren.engine.closure.ClassBundle;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.SpillingOutputStream;
import io.jwren.spi.Abortable;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import com.esotericsoftware.kryo.Kryo;
import io.jwren.StorageException;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a job's objects to storage: class bundles (each once per storage), the function, the inputs
 * and their index, then the manifest last, so a job whose manifest exists is complete.
 */
final class JobStager {
    private final Storage storage;
    private final Duration retention;
    private final Duration recheck;
    /** Bundles known to be in storage, and when that was last checked. */
    private final Map<String, Instant> bundlesPresent = new ConcurrentHashMap<>();

    /**
     * @param retention how long storage keeps what no job refers to ({@code jwren.retention}), or zero for ever: a
     *                  bundle reused once it is half that old is written again, so a sweep never takes one in use
     */
    JobStager(Storage storage, Duration retention) {
        this.storage = storage;
        this.retention = retention;
        Duration half = retention.dividedBy(2);
        this.recheck = retention.isZero() || half.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : half;
    }

    /**
     * Encodes the inputs straight into their storage object as they are iterated: a map's inputs may be
     * far larger than memory, made on demand by the caller's iterable. Up to {@code keepInMemory} bytes they
     * stay in memory instead (the result's {@code data}), for a job small enough to travel inline; the caller
     * stores them if it does not send them so. Whatever was written is removed if an input cannot be shipped;
     * a refused upload leaves nothing to remove.
     */
    InputsCodec.Encoded streamInputs(String jobId, Kryo kryo, Iterable<?> inputs, long keepInMemory) {
        String key = JobKeys.inputs(jobId);
        OutputStream out = keepInMemory > 0 ? new SpillingOutputStream(storage, key, keepInMemory) : storage.create(key);
        try {
            InputsCodec.Encoded encoded = InputsCodec.encodeTo(kryo, inputs, out);
            out.close();
            if (out instanceof SpillingOutputStream kept && !kept.spilled())
                return new InputsCodec.Encoded(kept.bytes(), encoded.offsets());
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

    /** Absent, or (with a retention) written so long ago that a sweep could soon take it. */
    boolean needsWriting(String key, Instant now) {
        if (retention.isZero()) return !storage.exists(key);
        Instant written;
        try {
            written = storage.lastModified(key);
        } catch (NoSuchKeyException e) {
            return true;
        }
        return written != null && written.plus(retention.dividedBy(2)).isBefore(now);
    }

    /**
     * Stores the job's class bundles, then its function and inputs unless they travel {@code inline} in the
     * backend's messages; the manifest is left to {@link #storeManifest}, since a job stored whole has it last.
     *
     * @param inputs the job's inputs, or null for a chained job, which has none of its own
     */
    void stage(String jobId, PackagedClosure closure, InputsCodec.Encoded inputs, boolean inline) {
        Instant now = Instant.now();
        for (ClassBundle bundle : closure.bundles()) {
            Instant checked = bundlesPresent.get(bundle.key());
            if (checked != null && checked.plus(recheck).isAfter(now)) continue;
            if (needsWriting(bundle.key(), now)) storage.put(bundle.key(), bundle.bytes());
            bundlesPresent.put(bundle.key(), now);
        }
        if (!inline) storeFunctionAndInputs(jobId, closure, inputs);
    }

    /** Stores the manifest: for a job stored whole, once all else is, so a job whose manifest exists is complete. */
    void storeManifest(String jobId, byte[] manifest) {
        storage.put(JobKeys.manifest(jobId), manifest);
    }

    private void storeFunctionAndInputs(String jobId, PackagedClosure closure, InputsCodec.Encoded inputs) {
        storage.put(JobKeys.function(jobId), closure.function());
        if (inputs != null) {
            if (inputs.data() != null) storage.put(JobKeys.inputs(jobId), inputs.data()); // else streamed already
            storage.put(JobKeys.inputsIndex(jobId), inputs.index());
        }
    }
}

package io.jwren.engine;

import io.jwren.engine.closure.ClassBundle;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.BlockTags;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.SpillingOutputStream;
import io.jwren.spi.Abortable;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import com.esotericsoftware.kryo.Kryo;
import io.jwren.StorageException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
    /** SHA-256 of each bundle's bytes, by key (the same key always has the same bytes): shipped or vouched for. */
    private final Map<String, String> bundleHashes = new ConcurrentHashMap<>();

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
     * a refused upload leaves nothing to remove. Kept bytes are content; stored ones are block-tagged when signed.
     *
     * @param signer the job's signer, or null for an unsigned job
     */
    InputsCodec.Encoded streamInputs(String jobId, Kryo kryo, Iterable<?> inputs, long keepInMemory, ObjectSigner signer) {
        String key = JobKeys.inputs(jobId);
        SpillingOutputStream out = new SpillingOutputStream(storage, key, keepInMemory,
                signer == null ? stored -> stored : stored -> new BlockTags.TaggingStream(stored, signer, key));
        try {
            InputsCodec.Encoded encoded = InputsCodec.encodeTo(kryo, inputs, out);
            out.close();
            if (!out.spilled()) return new InputsCodec.Encoded(out.bytes(), encoded.offsets());
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
     * Takes the bundle hashes a checked manifest vouches for: a chained job's manifest lists the first job's bundles
     * too, which this stager may not have shipped itself.
     */
    void vouchedBy(Manifest checked) {
        if (checked.integrity() == null) return;
        for (int i = 0; i < checked.bundles().size(); i++)
            bundleHashes.putIfAbsent(checked.bundles().get(i), checked.integrity().bundleHashes().get(i));
    }

    /**
     * Stores the job's class bundles, then its function and inputs unless they travel {@code inline} in the
     * backend's messages, and returns the manifest's bytes, which it leaves to {@link #storeManifest} (a job stored
     * whole has it last). With a signer the manifest is signed and vouches for the function's tag, each bundle's
     * SHA-256 and the inputs' length, and stored inputs and their index are block-tagged.
     *
     * @param inputs the job's inputs, or null for a chained job, which has none of its own
     * @param signer the job's signer, or null for an unsigned job
     */
    byte[] stage(Manifest manifest, PackagedClosure closure, InputsCodec.Encoded inputs, ObjectSigner signer, boolean inline) {
        String jobId = manifest.jobId();
        if (signer != null) {
            for (ClassBundle b : closure.bundles()) bundleHashes.computeIfAbsent(b.key(), k -> ObjectSigner.sha256Hex(b.bytes()));
            manifest = manifest.withIntegrity(new Manifest.Integrity(
                    HexFormat.of().formatHex(signer.tag(JobKeys.function(jobId), closure.function())),
                    manifest.bundles().stream().map(k -> {
                        String hash = bundleHashes.get(k);
                        if (hash == null) throw new IllegalStateException("no checked SHA-256 of bundle " + k + " to sign");
                        return hash;
                    }).toList(),
                    inputs == null ? -1 : inputs.offset(inputs.count())));
        }
        Instant now = Instant.now();
        for (ClassBundle bundle : closure.bundles()) {
            Instant checked = bundlesPresent.get(bundle.key());
            if (checked != null && checked.plus(recheck).isAfter(now)) continue;
            if (needsWriting(bundle.key(), now)) storage.put(bundle.key(), bundle.bytes());
            bundlesPresent.put(bundle.key(), now);
        }
        if (!inline) storeFunctionAndInputs(jobId, closure, inputs, manifest.chunkSize(), signer);
        return manifest.toBytes(signer);
    }

    /** Stores the manifest: for a job stored whole, once all else is, so a job whose manifest exists is complete. */
    void storeManifest(String jobId, byte[] manifest) {
        storage.put(JobKeys.manifest(jobId), manifest);
    }

    private void storeFunctionAndInputs(String jobId, PackagedClosure closure, InputsCodec.Encoded inputs, int chunkSize,
                                        ObjectSigner signer) {
        storage.put(JobKeys.function(jobId), closure.function());
        if (inputs != null) {
            // else streamed already
            if (inputs.data() != null) storage.put(JobKeys.inputs(jobId), BlockTags.stored(signer, JobKeys.inputs(jobId), inputs.data()));
            storage.put(JobKeys.inputsIndex(jobId), BlockTags.stored(signer, JobKeys.inputsIndex(jobId), inputs.index(chunkSize)));
        }
    }
}

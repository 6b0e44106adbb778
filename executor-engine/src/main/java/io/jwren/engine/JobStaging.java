package io.jwren.engine;

import io.jwren.engine.closure.ClosurePackager;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stages a map in storage with no backend and no executor: the same objects a map writes (bundles, function,
 * inputs and their index, manifest last), for tools that then run its invocations themselves with the worker
 * ({@code --job ID --invocation N}): the worker class archive's training run, the bench's cold-start figure.
 */
public final class JobStaging {
    /** The manifest's call timeout: nothing enforces it here, whoever runs the invocations decides. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(15);

    private JobStaging() {}

    /**
     * Writes the job and returns its id. Nothing watches it and nothing removes it but the retention sweep.
     *
     * @param function    the map's function, a {@code SerializableFunction} or any Kryo-serializable
     *                    {@link java.util.function.Function}
     * @param inputs      the inputs, one call each
     * @param chunkSize   calls per invocation
     * @param shipClasses gather and ship the classes the function needs, as a map does; false ships none (the
     *                    function's classes must be on the worker's class path)
     */
    public static String stage(Storage storage, Object function, List<?> inputs, int chunkSize, boolean shipClasses) {
        return stage(storage, function, inputs, chunkSize, shipClasses, null);
    }

    /**
     * As {@link #stage(Storage, Object, List, int, boolean)}, signed with {@code signer} unless it is null: its
     * workers then need the same key ({@code jwren.signing-key}).
     */
    public static String stage(Storage storage, Object function, List<?> inputs, int chunkSize, boolean shipClasses,
                               ObjectSigner signer) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be at least 1, was " + chunkSize);
        ClassLoader loader = function.getClass().getClassLoader();
        PackagedClosure closure = shipClasses ? new ClosurePackager().pack(function, loader, 0)
                : new ClosurePackager(java.util.Set.of()).packInProcess(function, loader);
        InputsCodec.Encoded encoded = InputsCodec.encode(KryoFactory.newShippingKryo(loader), inputs);
        String jobId = String.format("%08x-S000", ThreadLocalRandom.current().nextInt());
        Manifest manifest = new Manifest(Manifest.PROTOCOL, jobId, inputs.size(), chunkSize,
                closure.bundles().stream().map(b -> b.key()).toList(), closure.maxClassMajor(), CALL_TIMEOUT.toMillis(),
                Instant.now(), "none");
        JobStager stager = new JobStager(storage, Duration.ZERO);
        stager.storeManifest(jobId, stager.stage(manifest, closure, encoded, signer, false));
        return jobId;
    }
}

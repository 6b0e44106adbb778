package io.jwren.engine.worker;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.StorageException;
import io.jwren.engine.closure.ShippingErrors;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.SpillingOutputStream;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serializes the values of one invocation's calls. Values go inline into the result object until the
 * invocation has used {@link #INLINE_BUDGET} bytes; a value that would pass it is streamed to an object
 * of its own, so result objects stay small (the client reads them whole) and big values travel as
 * streams on both sides.
 */
final class ResultValueWriter {
    /** Keeps every result object under the 5 MB at which S3 transfers are better done in parts. */
    static final long INLINE_BUDGET = 4L << 20;

    private final Kryo kryo;
    private final Storage storage;
    private final String jobId;
    private final String token = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private final Output output = new Output(8192);
    private long inlineLeft = INLINE_BUDGET;
    private final ObjectSigner signer;

    /** @param signer the job's signer, whose tag ends each value object; null for none */
    ResultValueWriter(Kryo kryo, Storage storage, String jobId, ObjectSigner signer) {
        this.kryo = kryo;
        this.storage = storage;
        this.jobId = jobId;
        this.signer = signer;
    }

    /** The outcome with its value serialized, or a failure naming the value when it cannot travel. */
    CallOutcome encode(CallOutcome outcome) {
        if (!outcome.ok()) return outcome;
        String key = JobKeys.value(jobId, outcome.index(), token);
        SpillingOutputStream stream = new SpillingOutputStream(storage, key, inlineLeft,
                signer == null ? stored -> stored : stored -> signer.sealing(stored, key));
        output.setOutputStream(stream);
        try {
            kryo.writeClassAndObject(output, outcome.value());
            output.flush();
            stream.close();
        } catch (KryoException | IllegalArgumentException e) {
            StorageException storageFailure = storageCause(e);
            if (storageFailure != null) throw storageFailure;
            // A spilled stream is left unfinished: nothing names its key, and the job's prefix holds it.
            return CallOutcome.failure(outcome.index(),
                    ShippingErrors.notShippable("result of call " + outcome.index(), outcome.value(), e),
                    outcome.startMs(), outcome.endMs()).withMetrics(outcome.metrics());
        } catch (IOException e) {
            StorageException storageFailure = storageCause(e);
            throw storageFailure != null ? storageFailure
                    : new StorageException("cannot store the value of call " + outcome.index() + " as " + key
                            + " in " + storage.uri() + ": " + e.getMessage(), key, e);
        } finally {
            output.setOutputStream(null);
        }
        if (stream.spilled()) return CallOutcome.stored(outcome.index(), key, outcome.startMs(), outcome.endMs()).withMetrics(outcome.metrics());
        byte[] bytes = stream.bytes();
        inlineLeft -= bytes.length;
        return CallOutcome.inline(outcome.index(), bytes, outcome.startMs(), outcome.endMs()).withMetrics(outcome.metrics());
    }

    /** Kryo wraps the stream's IOExceptions, which wrap the storage's own error. */
    private static StorageException storageCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageException se) return se;
        }
        return null;
    }
}

package io.jwren.engine.worker;

import io.jwren.JWrenException;
import io.jwren.ProtocolException;
import io.jwren.StorageException;
import io.jwren.engine.CallRunner;
import io.jwren.engine.ChainedInputs;
import io.jwren.engine.closure.BundleCache;
import io.jwren.engine.closure.ClosureReader;
import io.jwren.engine.closure.KryoPool;
import io.jwren.engine.protocol.BlockTags;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InlineJob;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.engine.protocol.ResultValueReader;
import io.jwren.spi.Invocation;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import com.esotericsoftware.kryo.Kryo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs one invocation from storage, exactly as every backend's workers do: read the manifest and the
 * function (cached per job), the invocation's byte range of the inputs, run the calls, write one result
 * object with a first-wins put. A job that cannot be loaded still gets a result object, whose calls all
 * fail with an error naming the key at fault, so the client reports it instead of retrying.
 */
public final class InvocationRunner {
    private static final int MAX_JOBS = 8;
    /** Set by the first invocation this JVM runs: that one is the worker's cold start. */
    private static final AtomicBoolean RAN = new AtomicBoolean();

    private final Storage storage;
    private final String workerId;
    private final BundleCache bundles;
    private final LogCapture log;
    /** The job key's signer, once this worker was handed one: then it runs signed jobs only, and signs its results. */
    private volatile ObjectSigner signer;
    private final Map<String, byte[]> inlineJobs = new HashMap<>();
    private final Map<String, LoadedJob> jobs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LoadedJob> eldest) {
            return size() > MAX_JOBS;
        }
    };

    /** @param log where user output is captured, or null to capture nothing */
    InvocationRunner(Storage storage, String workerId, Path cacheDir, LogCapture log) {
        this.storage = storage;
        this.workerId = workerId;
        this.bundles = new BundleCache(cacheDir, InvocationRunner.class.getClassLoader());
        this.log = log;
    }

    /** A runner for embedding (Lambda handler, tests): no output capture. */
    public static InvocationRunner create(Storage storage, String workerId, Path cacheDir) {
        return new InvocationRunner(storage, workerId, cacheDir, null);
    }

    /**
     * Hands this worker its executor's key: from then on it runs only jobs whose objects carry valid tags under it,
     * checks each before it is deserialized or loaded, and signs the results it writes.
     *
     * @param signer the key's signer; null to run unsigned jobs, unchecked, as a worker that was handed no key
     * @return this runner
     */
    public synchronized InvocationRunner signedWith(ObjectSigner signer) {
        // The same key again (a warm Lambda container gets it with each payload) keeps the jobs checked under it;
        // what was loaded unchecked, or under another key, is not kept.
        if (signer == null ? this.signer != null : this.signer == null || !this.signer.sameKey(signer)) {
            jobs.clear();
            this.signer = signer;
        }
        return this;
    }

    /**
     * Invocation {@code number} of a job, its calls taken from the job's manifest: for entry points
     * that are given only a number (an Indexed Job's completion index, a minimal Lambda payload).
     *
     * @throws IllegalArgumentException if the job has no such invocation
     */
    public Invocation invocation(String jobId, int number, int attempt) {
        String key = JobKeys.manifest(jobId);
        Manifest m = Manifest.parse(key, read(key, "job manifest"), signer);
        if (number < 0 || number >= m.invocations())
            throw new IllegalArgumentException("job " + jobId + " has " + m.invocations() + " invocations; "
                    + number + " is not one");
        int first = number * m.chunkSize();
        return new Invocation(jobId, number, first, Math.min(m.chunkSize(), m.calls() - first), attempt, -1, -1);
    }

    /**
     * A job loaded and checked under {@code signer} (null: unchecked).
     *
     * @param inputs the job's inputs when it came inline, else null: they are in storage
     */
    private record LoadedJob(Manifest manifest, ClassLoader loader, Function<Object, Object> function, ObjectSigner signer,
                             byte[] inputs) {}

    private static byte[] hex(String key, String tag) {
        try {
            return HexFormat.of().parseHex(tag);
        } catch (IllegalArgumentException e) {
            throw ObjectSigner.refused(key, "the manifest's tag for it is not hex");
        }
    }

    /**
     * How an invocation ended.
     *
     * @param result       the result as written (or as it would have been, if another attempt wrote first)
     * @param resultObject its encoding
     * @param stored       whether this run stored it: false if another attempt's result object was there first
     */
    public record Finished(InvocationResult result, byte[] resultObject, boolean stored) {}

    /**
     * Keeps a job's {@link io.jwren.spi.JobSpec#inlineJob() inline objects} for the invocations of it to come,
     * until {@link #releaseInline}: its function and inputs are in no storage.
     */
    public synchronized void holdInline(String jobId, byte[] inlineJob) {
        inlineJobs.put(jobId, inlineJob);
    }

    /** Forgets a job {@link #holdInline held} inline, which has ended. */
    public synchronized void releaseInline(String jobId) {
        inlineJobs.remove(jobId);
        jobs.remove(jobId);
    }

    /**
     * Runs the invocation and writes its result object.
     *
     * @return the result as written (or as it would have been, if another attempt wrote first)
     * @throws StorageException if the result cannot be written: the caller should report the invocation lost
     */
    public InvocationResult run(Invocation inv) {
        return run(inv, null).result();
    }

    /**
     * Runs the invocation and writes its result object.
     *
     * @param inlineJob the job's inline objects when the backend carries them, or null (then they were
     *                  {@link #holdInline held}, or they are in storage); their inputs may be only this
     *                  invocation's, which its input offset and length then index
     * @throws StorageException if the result cannot be written: the caller should report the invocation lost
     */
    public Finished run(Invocation inv, byte[] inlineJob) {
        if (log != null) log.reset();
        List<CallOutcome> outcomes = new ArrayList<>(inv.callCount());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        boolean coldStart = RAN.compareAndSet(false, true);
        int protocol = Manifest.PROTOCOL;
        try {
            InlineJob inline = inlineJob == null ? null : InlineJob.decode(inv.jobId(), inlineJob);
            LoadedJob job = load(inv.jobId(), inline);
            protocol = job.manifest().protocol();
            Thread.currentThread().setContextClassLoader(job.loader());
            // Inline objects handed with this run may hold only its own inputs (a Lambda payload): they win over
            // those the job was loaded with.
            List<Object> inputs = readInputs(inv, job, inline != null ? inline.inputs() : job.inputs());
            KryoPool valuesPool = KryoPool.shipping(job.loader());
            Kryo valuesKryo = valuesPool.borrow();
            ResultValueWriter values = new ResultValueWriter(valuesKryo, storage, inv.jobId(), job.signer());
            CallRunner.of(job.manifest().retry()).run(job.function(), inputs, inv.firstCall(), coldStart,
                    outcome -> outcomes.add(values.encode(outcome)));
            valuesPool.release(valuesKryo);
        } catch (StorageException e) {
            // Storage that stays unreachable through the client's retries is this attempt's trouble, not
            // the calls': the invocation is reported lost and run again. Missing or corrupt job objects
            // are ProtocolExceptions and fail the calls, since no retry can mend them.
            if (!(e instanceof ProtocolException)) throw e;
            failAll(inv, outcomes, e);
        } catch (RuntimeException | LinkageError e) {
            failAll(inv, outcomes, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        InvocationResult result = new InvocationResult(inv.number(), inv.attempt(), workerId,
                log == null ? "" : log.tail(), outcomes);
        String resultKey = JobKeys.result(inv.jobId(), inv.number());
        byte[] encoded = ResultCodec.encode(result, protocol, resultKey, signer);
        boolean stored = storage.putIfAbsent(resultKey, encoded);
        return new Finished(result, encoded, stored);
    }

    private static void failAll(Invocation inv, List<CallOutcome> outcomes, Throwable e) {
        outcomes.clear();
        long now = System.currentTimeMillis();
        for (int i = 0; i < inv.callCount(); i++) outcomes.add(CallOutcome.failure(inv.firstCall() + i, e, now, now));
    }

    private synchronized LoadedJob load(String jobId, InlineJob inline) {
        LoadedJob job = jobs.get(jobId);
        if (job != null) return job;
        if (inline == null) {
            byte[] held = inlineJobs.get(jobId);
            if (held != null) inline = InlineJob.decode(jobId, held);
        }
        String manifestKey = JobKeys.manifest(jobId);
        ObjectSigner s = signer;
        // Inline objects came over the backend's own channel, the one that carried the key: they are taken as they
        // are, with no tag checked. A signed job's manifest still vouches for the bundles, read from storage.
        Manifest manifest = inline != null ? Manifest.parse(manifestKey, inline.manifest())
                : Manifest.parse(manifestKey, read(manifestKey, "job manifest"), s);
        if (s != null && !manifest.signed())
            throw ObjectSigner.refused(manifestKey, "the manifest handed inline lists no bundle hashes, but this worker "
                    + "runs signed jobs only");
        int supported = Runtime.version().feature() + 44;
        if (manifest.minJavaMajor() > supported)
            throw new JWrenException("job " + jobId + " ships classes compiled for Java " + (manifest.minJavaMajor() - 44)
                    + " (class file " + manifest.minJavaMajor() + ") but this worker runs Java "
                    + Runtime.version().feature() + ": run the worker on a newer Java or compile with --release "
                    + Runtime.version().feature());
        ClassLoader loader = bundles.loaderFor(manifest.bundles(),
                s == null ? null : manifest.integrity().bundleHashes(), storage);
        String functionKey = JobKeys.function(jobId);
        byte[] bytes;
        if (inline != null) {
            bytes = inline.function();
        } else {
            bytes = read(functionKey, "function");
            if (s != null) ObjectSigner.check(functionKey, s.tag(functionKey, bytes), hex(functionKey, manifest.integrity().functionTag()));
        }
        Object fn;
        try {
            fn = ClosureReader.readFunction(bytes, loader);
        } catch (RuntimeException | LinkageError e) {
            throw new ProtocolException("function object '" + functionKey + "' of job " + jobId
                    + " cannot be deserialized on worker " + workerId + ": " + e, functionKey, e);
        }
        if (!(fn instanceof Function)) {
            throw new ProtocolException("function object '" + functionKey + "' holds a "
                    + (fn == null ? "null" : fn.getClass().getName()) + ", not a function", functionKey, null);
        }
        @SuppressWarnings("unchecked")
        Function<Object, Object> function = (Function<Object, Object>) fn;
        if (manifest.chained()) function = ChainedInputs.unwrapping(function); // a failed input fails its call
        job = new LoadedJob(manifest, loader, function, s, inline == null ? null : inline.inputs());
        jobs.put(jobId, job);
        return job;
    }

    /** @param inlineInputs the job's inputs as they came inline (offsets index them), or null: they are in storage */
    private List<Object> readInputs(Invocation inv, LoadedJob job, byte[] inlineInputs) {
        if (job.manifest().chained()) return readUpstreamResults(inv, job);
        String key = JobKeys.inputs(inv.jobId());
        long offset = inv.inputOffset();
        long length = inv.inputLength();
        if (offset < 0 || length < 0) {
            String indexKey = JobKeys.inputsIndex(inv.jobId());
            Manifest m = job.manifest();
            // from version 3 an entry per invocation, before it one per call
            boolean perInvocation = m.protocol() >= 3;
            long first = perInvocation ? inv.number() : inv.firstCall();
            long span = perInvocation ? 2 : inv.callCount() + 1;
            long entries = perInvocation ? m.invocations() + 1L : m.calls() + 1L;
            long[] range = InputsCodec.rangeFromIndexSlice(readRange(job, indexKey, first * Long.BYTES, span * Long.BYTES,
                    entries * Long.BYTES, "inputs index"));
            offset = range[0];
            length = range[1];
        }
        byte[] data;
        if (inlineInputs != null) { // plain content, as it came over the backend's channel
            try {
                data = Arrays.copyOfRange(inlineInputs, Math.toIntExact(offset), Math.toIntExact(offset + length));
            } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new ProtocolException("the inline inputs of job " + inv.jobId() + " hold no bytes " + offset + "+" + length, key, e);
            }
        } else {
            data = readRange(job, key, offset, length, job.signer() == null ? -1 : job.manifest().integrity().inputsBytes(),
                    "inputs object");
        }
        try {
            return KryoPool.reading(job.loader()).use(kryo -> InputsCodec.decode(kryo, data, inv.callCount()));
        } catch (RuntimeException e) {
            throw new ProtocolException("inputs object '" + key + "' of job " + inv.jobId() + " is corrupt at "
                    + offset + "+" + length + ": " + e, key, e);
        }
    }

    /** A content range of the job's inputs or their index; in a signed job, checked block by block before it is used. */
    private byte[] readRange(LoadedJob job, String key, long offset, long length, long content, String what) {
        if (job.signer() != null) return BlockTags.readRange(storage, key, offset, length, content, job.signer());
        try {
            return storage.getRange(key, offset, length);
        } catch (NoSuchKeyException e) {
            throw new ProtocolException(what + " '" + key + "' of job " + job.manifest().jobId() + " is missing", key, e);
        }
    }

    /**
     * The inputs of a chained job: the results of the same calls in the job it chains on, read from the result
     * objects of that job's invocations holding them (and the value objects they name). A call that failed there
     * becomes a {@link ChainedInputs.Failed} input carrying that failure; so does one whose result object is
     * missing (the client has failed such calls already, with the reason, when the upstream invocation was lost).
     */
    private List<Object> readUpstreamResults(Invocation inv, LoadedJob job) {
        String upstream = job.manifest().inputsFrom();
        int upChunk = job.manifest().inputsChunkSize();
        int first = inv.firstCall();
        int end = first + inv.callCount();
        Object[] inputs = new Object[inv.callCount()];
        boolean[] found = new boolean[inv.callCount()];
        KryoPool pool = KryoPool.reading(job.loader());
        Kryo kryo = pool.borrow();
        for (int k = first / upChunk; k * upChunk < end; k++) {
            String key = JobKeys.result(upstream, k);
            byte[] bytes;
            try {
                bytes = storage.get(key);
            } catch (NoSuchKeyException e) {
                continue;
            }
            for (CallOutcome o : ResultCodec.decode(key, bytes, job.signer()).calls()) {
                int i = o.index();
                if (i < first || i >= end) continue;
                inputs[i - first] = o.ok() ? ResultValueReader.read(kryo, storage, o, job.signer())
                        : ChainedInputs.failed(upstream, i, o.error().toThrowable(job.loader(), i));
                found[i - first] = true;
            }
        }
        for (int i = first; i < end; i++) {
            if (found[i - first]) continue;
            String key = JobKeys.result(upstream, i / upChunk);
            inputs[i - first] = ChainedInputs.failed(upstream, i, new ProtocolException("result object '" + key
                    + "' holds no result of call " + i + " of job " + upstream, key, null));
        }
        pool.release(kryo);
        return Arrays.asList(inputs);
    }

    private byte[] read(String key, String what) {
        try {
            return storage.get(key);
        } catch (NoSuchKeyException e) {
            throw new ProtocolException(what + " '" + key + "' is missing from " + storage.uri(), key, e);
        }
    }
}

package io.jwren.engine;

import io.jwren.spi.Providers;
import com.esotericsoftware.kryo.Kryo;
import io.jwren.Await;
import io.jwren.AwaitResult;
import io.jwren.CallFuture;
import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.NotShippableException;
import io.jwren.ProtocolException;
import io.jwren.SerializableBinaryOperator;
import io.jwren.SerializableCallable;
import io.jwren.SerializableFunction;
import io.jwren.engine.closure.BundleCache;
import io.jwren.engine.closure.ClosurePackager;
import io.jwren.engine.closure.ClosureReader;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.closure.KryoPool;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.InlineJob;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The executor: packages closures, plans and stages jobs, and hands them to its backend. */
final class JWrenExecutor implements Executor {
    private static final ClosurePackager PACKAGER = new ClosurePackager();
    private BundleCache attachedBundles;

    private final Config config;
    private final String id;
    private final Backend backend;
    private final InvocationPlanner planner;
    private final int workers;
    private final ScheduledExecutorService scheduler;
    private final EngineTime time;
    private final AtomicInteger jobCounter = new AtomicInteger();
    private final Set<MapJob> active = ConcurrentHashMap.newKeySet();
    private volatile Storage storage;
    private volatile JobStager stager;
    private volatile boolean closed;
    private TasksExecutorService executorService;
    private final boolean progress;
    private final double pricePerGbS;
    /** The job key: {@code jwren.signing-key}, else random per executor. Never written to storage. */
    private final ObjectSigner signer;

    JWrenExecutor(Config config) {
        this.config = config;
        this.progress = ProgressBar.enabled(config.get(ProgressBar.KEY, "auto"), ProgressBar.terminal());
        this.pricePerGbS = pricePerGbS(config);
        this.id = newId();
        String sharedKey = config.get(EngineSettings.SIGNING_KEY);
        this.signer = sharedKey == null || sharedKey.isBlank() ? ObjectSigner.random()
                : ObjectSigner.fromBase64(EngineSettings.SIGNING_KEY, sharedKey);
        this.workers = Math.max(1, config.getInt("jwren.workers", Runtime.getRuntime().availableProcessors()));
        this.planner = new InvocationPlanner(config);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jwren-" + id + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.time = EngineTime.over(timer);
        BackendProvider provider = Providers.backend(config.get("jwren.backend", "threads"));
        this.backend = provider.create(new BackendProvider.BackendContext() {
            @Override
            public Config config() {
                return config;
            }

            @Override
            public String executorId() {
                return id;
            }

            @Override
            public Storage storage() {
                return JWrenExecutor.this.jobStorage();
            }

            @Override
            public String signingKey() {
                return signer.keyBase64();
            }
        });
    }

    private static double pricePerGbS(Config config) {
        String v = config.get(JobStatsCollector.PRICE_KEY);
        if (v == null || v.isBlank()) return JobStatsCollector.DEFAULT_PRICE_PER_GB_S;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(JobStatsCollector.PRICE_KEY + " must be a number (USD per GB-second), was '" + v + "'");
        }
    }

    /** Starts a job with its listener and, when wanted, a progress bar. */
    private <R> MapFutureImpl<R> launch(MapJob job, io.jwren.CallListener listener) {
        MapFutureImpl<R> future = new MapFutureImpl<>(this, job, job.<R>callFutures(), pricePerGbS);
        job.listen(listener);
        // Results are read once someone looks, unless a listener or the progress bar looks from the start.
        if (listener == null && !progress) job.fetchOnDemand();
        active.add(job);
        try {
            job.start();
        } catch (RuntimeException | Error e) { // the backend refused the job (a bad setting, no permission)
            active.remove(job);
            throw e;
        }
        if (progress) ProgressBar.follow(job.jobId(), job::status, scheduler, System.err);
        return future;
    }

    /**
     * Launches a job whose bundles, and unless it travels inline its function and inputs, are stored; and stores
     * its manifest. An inline job's workers need nothing but its bundles from storage, so it starts first and its
     * manifest (for attach, {@code jwren jobs} and retention) is written while it runs; before {@code map} returns,
     * all the same. Otherwise the manifest goes last, as workers expect a job whose manifest exists to be complete.
     *
     * @param inlineFunction the function, when the job travels inline; else null
     * @param inputs         the inputs, when the job travels inline
     */
    private <R> MapFutureImpl<R> launchStaged(MapJob job, byte[] manifest, byte[] inlineFunction, byte[] inputs,
                                              io.jwren.CallListener listener) {
        if (inlineFunction == null) {
            stager.storeManifest(job.jobId(), manifest);
            return launch(job, listener);
        }
        job.inline(new InlineJob(manifest, inlineFunction, inputs).encode());
        MapFutureImpl<R> future = launch(job, listener);
        try {
            stager.storeManifest(job.jobId(), manifest);
        } catch (RuntimeException e) {
            future.cancel(true);
            throw e;
        }
        return future;
    }

    private static String newId() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private Storage jobStorage() {
        Storage s = storage;
        if (s == null) {
            synchronized (this) {
                if (storage == null) {
                    storage = Providers.storage(config.get("jwren.storage"), config);
                    Duration retention = config.getDuration(EngineSettings.RETENTION, Duration.ofDays(1));
                    stager = new JobStager(storage, retention);
                    sweepOldJobs(storage, retention);
                }
                s = storage;
            }
        }
        return s;
    }

    /** Storages swept by this JVM: one sweep per storage and retention is enough for a process. */
    private static final Set<String> SWEPT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Manifests one sweep reads at most, so that starting never costs more than a bounded amount of work. */
    private static final int SWEEP_MANIFESTS = 2_000;

    /** Removes old finished jobs and unused bundles in the background, on a thread of its own (never the scheduler's). */
    private static void sweepOldJobs(Storage storage, Duration retention) {
        if (retention.isZero() || retention.isNegative() || !SWEPT.add(storage.uri() + " " + retention)) return;
        Thread sweeper = new Thread(() -> {
            System.Logger log = System.getLogger("io.jwren");
            try {
                JobRetention.Sweep done = JobRetention.sweep(storage, retention, Instant.now(), SWEEP_MANIFESTS);
                if (done.jobsRemoved() + done.bundlesRemoved() > 0)
                    log.log(System.Logger.Level.INFO, "removed " + done.jobsRemoved() + " finished job(s) and "
                            + done.bundlesRemoved() + " unused bundle(s) older than jwren.retention=" + retention + " from " + storage.uri());
            } catch (RuntimeException e) {
                // a storage closed under it, or refusing a listing: the next start sweeps again
                log.log(System.Logger.Level.DEBUG, "retention sweep of " + storage.uri() + " stopped: " + e);
            }
        }, "jwren-retention");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    @Override
    public <T, R> MapFuture<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                                   MapOptions options) {
        if (fn == null) throw new NullPointerException("fn");
        return start(fn, fn.getClass().getClassLoader(), inputs, options);
    }

    @Override
    public <R> CallFuture<R> submit(SerializableCallable<? extends R> task, MapOptions options) {
        if (task == null) throw new NullPointerException("task");
        MapFuture<R> m = start(new CallableFunction<R>(task), task.getClass().getClassLoader(), List.of(0), options);
        return m.calls().get(0);
    }

    @Override
    public <T, R> CallFuture<R> mapReduce(SerializableFunction<? super T, ? extends R> mapper,
                                          Iterable<? extends T> inputs, SerializableBinaryOperator<R> reducer,
                                          MapOptions options) {
        if (reducer == null) throw new NullPointerException("reducer");
        MapFutureImpl<R> m = (MapFutureImpl<R>) this.<T, R>map(mapper, inputs, options);
        List<CallFutureImpl<R>> calls = new ArrayList<>();
        for (CallFuture<R> c : m.calls()) calls.add((CallFutureImpl<R>) c);
        return new ReduceFuture<>(m.jobId(), calls, reducer, m);
    }

    @SuppressWarnings("unchecked")
    private <R> MapFuture<R> start(Object fn, ClassLoader userLoader, Iterable<?> inputs, MapOptions options) {
        if (closed) throw new IllegalStateException("executor " + id + " is closed");
        if (inputs == null) throw new NullPointerException("inputs");
        if (options == null) options = MapOptions.defaults();
        String jobId = nextJobId();

        JobPlan plan;
        MapJob job;
        if (backend.inProcess()) {
            List<Object> inputList = new ArrayList<>();
            for (Object in : inputs) inputList.add(in);
            PackagedClosure closure = PACKAGER.packInProcess(fn, userLoader);
            checkInputsShippable(inputList, userLoader);
            // Run the deserialized copy, not the caller's object: captured state behaves as on a remote worker.
            Function<Object, Object> copy = (Function<Object, Object>) ClosureReader.readFunction(closure.function(), userLoader);
            plan = planner.plan(jobId, inputList.size(), options, workers, null, backend.timeoutGrace());
            job = new MapJob(plan, backend, null, time, copy, inputList, userLoader, () -> finished(jobId));
        } else {
            Storage store = jobStorage();
            // Packaged before a byte is uploaded: a closure that cannot ship is refused at once.
            PackagedClosure closure = PACKAGER.pack(fn, userLoader, backend.maxClassFileMajor());
            KryoPool inputsPool = KryoPool.shipping(userLoader);
            Kryo inputsKryo = inputsPool.borrow();
            // The inputs are iterated once, into storage, and never held: they may not fit in memory. Those of a
            // job small enough to travel in the backend's messages stay in memory and never reach storage.
            long inlineLimit = backend.inlineLimit();
            ObjectSigner jobSigner = backend.handsSigningKey() ? signer : null;
            InputsCodec.Encoded encoded = stager.streamInputs(jobId, inputsKryo, inputs, inlineLimit, jobSigner);
            Set<Class<?>> inputClasses = Set.copyOf(KryoFactory.classesMet(inputsKryo));
            inputsPool.release(inputsKryo);
            if (!closure.covers(inputClasses)) {
                // Inputs of classes the closure does not reach: their classes must ship too.
                try {
                    closure = PACKAGER.pack(fn, userLoader, backend.maxClassFileMajor(), inputClasses);
                } catch (RuntimeException e) {
                    store.deletePrefix(JobKeys.job(jobId));
                    throw e;
                }
            }
            plan = planner.plan(jobId, encoded.count(), options, workers, encoded, backend.timeoutGrace());
            Manifest manifest = new Manifest(Manifest.PROTOCOL, jobId, plan.calls(), plan.chunkSize(),
                    closure.bundles().stream().map(b -> b.key()).toList(), closure.maxClassMajor(),
                    plan.callTimeout().toMillis(), Instant.now(), config.get("jwren.backend", "threads"), plan.retry());
            boolean inline = encoded.data() != null
                    && InlineJob.size(closure.function(), encoded.data()) <= Math.min(inlineLimit, backend.inlineLimit(plan.invocations().size()));
            byte[] manifestBytes = stager.stage(manifest, closure, encoded, jobSigner, inline);
            job = new MapJob(plan, backend, store, time, null, null, userLoader, () -> finished(jobId));
            job.checkedWith(jobSigner);
            return launchStaged(job, manifestBytes, inline ? closure.function() : null, encoded.data(), options.listener());
        }
        return launch(job, options.listener());
    }

    private String nextJobId() {
        String n = Integer.toString(jobCounter.getAndIncrement());
        return id + (n.length() >= 3 ? "-M" : n.length() == 2 ? "-M0" : "-M00") + n;
    }

    /**
     * A map over the results of {@code up}, call i taking call i's result. Unless the options fix a chunk size, its
     * invocations cover the same calls as those of {@code up}. In-process, the inputs are the upstream values
     * themselves; otherwise the job has no inputs objects: its manifest names {@code up}, whose result objects its
     * workers read, and its bundles are its own followed by those of {@code up} (which its values need).
     */
    <R, S> MapFuture<S> thenMap(MapJob up, SerializableFunction<? super R, ? extends S> fn, MapOptions options) {
        if (fn == null) throw new NullPointerException("fn");
        if (closed) throw new IllegalStateException("executor " + id + " is closed");
        if (options == null) options = MapOptions.defaults();
        if (options.chunkSize() == null) options = options.toBuilder().chunkSize(up.chunkSize()).build();
        ClassLoader userLoader = fn.getClass().getClassLoader();
        String jobId = nextJobId();
        JobPlan plan = planner.plan(jobId, up.calls(), options, workers, null, backend.timeoutGrace());
        MapJob job;
        if (backend.inProcess()) {
            PackagedClosure closure = PACKAGER.packInProcess(fn, userLoader);
            @SuppressWarnings("unchecked")
            Function<Object, Object> copy = (Function<Object, Object>) ClosureReader.readFunction(closure.function(), userLoader);
            job = new MapJob(plan, backend, null, time, ChainedInputs.unwrapping(copy), ChainedInputs.of(up), userLoader,
                    () -> finished(jobId));
        } else {
            if (up.storage() == null) throw new IllegalArgumentException("job " + up.jobId() + " ran in process: "
                    + "its results are in no storage for the workers of " + config.get("jwren.backend") + " to read");
            Storage store = jobStorage();
            PackagedClosure closure = PACKAGER.pack(fn, userLoader, backend.maxClassFileMajor());
            String upKey = JobKeys.manifest(up.jobId());
            Manifest upManifest = Manifest.parse(upKey, store.get(upKey), up.signer());
            ObjectSigner jobSigner = backend.handsSigningKey() ? signer : null;
            stager.vouchedBy(upManifest);
            List<String> bundles = new ArrayList<>(closure.bundles().stream().map(b -> b.key()).toList());
            for (String b : upManifest.bundles()) if (!bundles.contains(b)) bundles.add(b);
            Manifest manifest = new Manifest(Manifest.PROTOCOL, jobId, plan.calls(), plan.chunkSize(), bundles,
                    Math.max(closure.maxClassMajor(), upManifest.minJavaMajor()), plan.callTimeout().toMillis(),
                    Instant.now(), config.get("jwren.backend", "threads"), plan.retry(), up.jobId(), upManifest.chunkSize());
            boolean inline = InlineJob.size(closure.function(), new byte[0]) <= backend.inlineLimit(plan.invocations().size());
            byte[] manifestBytes = stager.stage(manifest, closure, null, jobSigner, inline);
            job = new MapJob(plan, backend, store, time, null, null, userLoader, () -> finished(jobId));
            job.checkedWith(jobSigner);
            job.chainOn(up);
            return launchStaged(job, manifestBytes, inline ? closure.function() : null, new byte[0], options.listener());
        }
        job.chainOn(up);
        return launch(job, options.listener());
    }

    /** Serializes one input of each distinct class, so unshippable inputs fail here as they would remotely. */
    private static void checkInputsShippable(List<Object> inputs, ClassLoader loader) {
        Set<Class<?>> seen = new HashSet<>();
        List<Object> samples = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object in = inputs.get(i);
            if (in != null && seen.add(in.getClass())) {
                samples.add(in);
                positions.add(i);
            }
        }
        if (samples.isEmpty()) return;
        try {
            KryoPool.shipping(loader).use(kryo -> InputsCodec.encode(kryo, samples));
        } catch (NotShippableException e) {
            // Report the input's real position, not its position among the samples.
            String sampleRoot = e.path();
            int sample = Integer.parseInt(sampleRoot.substring("input ".length()).split(" ")[0]);
            String root = "input " + positions.get(sample);
            throw new NotShippableException(e.getMessage().replace(sampleRoot, root), e.offendingClass(),
                    e.path().replace(sampleRoot, root), e.getCause());
        }
    }

    @Override
    public <R> MapFuture<R> attach(String jobId) {
        if (closed) throw new IllegalStateException("executor " + id + " is closed");
        Storage store = jobStorage();
        String key = JobKeys.manifest(jobId);
        byte[] text;
        try {
            text = store.get(key);
        } catch (NoSuchKeyException e) {
            throw new IllegalArgumentException("no job '" + jobId + "' in " + store.uri() + " (no " + key + ")", e);
        }
        // Only a job signed with this executor's key is read: an unsigned manifest could name any bundle, and loading
        // it here would run whatever a writer of the storage put there.
        Manifest manifest;
        try {
            manifest = Manifest.parse(key, text, signer);
        } catch (ProtocolException e) {
            boolean signed = Manifest.carriesSignature(text);
            throw new ProtocolException(signed
                    ? "job '" + jobId + "' was signed with another key than this executor's: attach from an executor "
                    + "built with the same " + EngineSettings.SIGNING_KEY + " as the one that submitted it (" + e.getMessage() + ")"
                    : "job '" + jobId + "' is not signed, and an executor attaches to signed jobs only (" + e.getMessage() + ")",
                    key, e);
        }
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = attachedBundles(parent == null ? JWrenExecutor.class.getClassLoader() : parent)
                .loaderFor(manifest.bundles(), manifest.integrity().bundleHashes(), store);
        MapOptions options = MapOptions.builder().chunkSize(manifest.chunkSize())
                .timeout(Duration.ofMillis(Math.max(1, manifest.callTimeoutMs()))).build();
        JobPlan plan = planner.plan(jobId, manifest.calls(), options, workers, null, Duration.ZERO);
        MapJob job = new MapJob(plan, AttachedJobBackend.INSTANCE, store, time, null, null, loader,
                () -> finished(jobId));
        job.checkedWith(signer);
        return launch(job, null);
    }

    private synchronized BundleCache attachedBundles(ClassLoader parent) {
        if (attachedBundles == null) {
            attachedBundles = new BundleCache(BundleCache.directory(config), parent);
        }
        return attachedBundles;
    }

    private void finished(String jobId) {
        active.removeIf(j -> j.jobId().equals(jobId));
        try {
            backend.jobFinished(jobId);
        } catch (RuntimeException e) {
            // releasing a watch is best effort; the results are already delivered
        }
    }

    @Override
    public <F extends Future<?>> AwaitResult<F> await(Collection<F> futures, Await mode, Duration timeout)
            throws InterruptedException {
        return Awaiting.await(futures, mode, timeout);
    }

    @Override
    public synchronized java.util.concurrent.ExecutorService asExecutorService() {
        if (executorService == null) {
            executorService = new TasksExecutorService(this);
            if (closed) executorService.shutdownNow();
        }
        return executorService;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        TasksExecutorService service;
        synchronized (this) {
            service = executorService;
        }
        if (service != null) service.shutdownNow();
        for (MapJob job : List.copyOf(active)) job.cancel();
        try {
            backend.close();
        } finally {
            scheduler.shutdownNow();
            Storage s = storage;
            if (s != null) s.close();
        }
    }

    @Override
    public String toString() {
        return "Executor[" + id + ", backend=" + config.get("jwren.backend") + "]";
    }

    static CompletableFuture<?> completion(Future<?> f) {
        if (f instanceof CallFutureImpl<?> c) return c.future();
        if (f instanceof CallFuture<?> c) return c.toCompletableFuture();
        if (f instanceof CompletableFuture<?> cf) return cf;
        if (f instanceof MapFuture<?> m) {
            return CompletableFuture.allOf(m.calls().stream().map(CallFuture::toCompletableFuture)
                    .toArray(CompletableFuture[]::new));
        }
        return null;
    }

    static long millis(Duration d) {
        return d == null ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}

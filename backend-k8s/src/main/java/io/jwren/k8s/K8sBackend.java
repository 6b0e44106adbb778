package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code jwren.backend=k8s}: each map is one Indexed Job whose pods run the worker image with
 * {@code --job <id>}; the pod of index n runs invocation n ({@code JOB_COMPLETION_INDEX}). The engine
 * hears of a pod running (started), succeeding (completed: its result object is written) or failing (lost,
 * with the tail of its log). Retries go through the Job controller per index where it re-runs the pod
 * itself, otherwise through one-pod re-run Jobs ({@link JobWatch}). A pod that cannot start (bad image,
 * missing Secret) is reported at once; one not running after {@code jwren.k8s.start-timeout} is reported
 * with what it waits for (unschedulable ...). Cancel deletes the map's Jobs; the cluster removes their pods.
 *
 * <p>One pod informer and one Job informer per executor, selecting on its {@code jwren.io/executor} label,
 * serve all its maps: a thousand maps are two watches, not two thousand, and no watch closes as a map ends.
 *
 * <p>The executor's signing key goes to its pods through a Secret of its own ({@code jwren-key-<executor>}),
 * created before its first Job and deleted at close: the Job spec only names it. The Secrets of executors that died
 * without closing are swept by the next executor in the namespace.
 */
final class K8sBackend implements Backend {
    /** Slack over the calls' own time for a pod's activeDeadlineSeconds: the JVM start and the bundle fetch. */
    static final Duration POD_DEADLINE_SLACK = Duration.ofMinutes(2);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final K8sSettings settings;
    private final String namespace;
    /** By the job-id label value their Jobs and pods carry (what informer events are dispatched on). */
    private final Map<String, JobWatch> watches = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<Job> jobInformer;
    /** Reports to the engine, in the order pods were seen; reading results happens here too. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("jwren-k8s-events"));
    /** API calls that should not hold up the informer: log tails, re-run Jobs, deletions. */
    private final ExecutorService io = Executors.newFixedThreadPool(4, daemon("jwren-k8s-api"));
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(daemon("jwren-k8s-timer"));

    /** The executor's signing key (base64), or null: jobs are then unsigned. */
    private final String signingKey;
    /** Whether the key's Secret exists (guarded by this). */
    private boolean keySecretCreated;

    K8sBackend(KubernetesClient client, boolean ownsClient, K8sSettings settings) {
        this(client, ownsClient, settings, null);
    }

    /**
     * @param settings   with {@link K8sSettings#keySecret()} naming the Secret to hold the key, when one is given
     * @param signingKey the executor's key (base64), or null for unsigned jobs
     */
    K8sBackend(KubernetesClient client, boolean ownsClient, K8sSettings settings, String signingKey) {
        if (signingKey != null && settings.keySecret() == null)
            throw new IllegalArgumentException("a signing key needs a Secret to travel in: K8sSettings.withKeySecret");
        this.signingKey = signingKey;
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        String ns = settings.namespace() != null ? settings.namespace() : client.getNamespace();
        this.namespace = ns != null ? ns : "default";
        ticks.scheduleWithFixedDelay(() -> {
            long now = System.currentTimeMillis();
            for (JobWatch w : watches.values()) w.checkStartTimeouts(now);
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** A pod's success means its result object is written, so completion is reported, not polled. */
    @Override
    public boolean reportsCompletion() {
        return true;
    }

    /** The key reaches pods from the executor's Secret, as their environment. */
    @Override
    public boolean handsSigningKey() {
        return signingKey != null;
    }

    @Override
    public int maxClassFileMajor() {
        return settings.workerJava() + 44;
    }

    /** Counted from the pod running: the worker JVM's start and the bundle's download. */
    @Override
    public Duration timeoutGrace() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        String label = IndexedJobFactory.labelValue(job.jobId());
        JobWatch watch = watches.get(label);
        if (watch == null) {
            startInformers();
            ensureKeySecret();
            int longest = invocations.stream().mapToInt(Invocation::callCount).max().orElse(1);
            JobWatch created = new JobWatch(client, settings, namespace, job, listener, events, io,
                    podDeadlineSeconds(job.callTimeout(), longest));
            watches.put(label, created);
            try {
                created.start(invocations);
            } catch (RuntimeException e) {
                watches.remove(label);
                throw e;
            }
            return;
        }
        for (Invocation inv : invocations) watch.resubmit(inv);
    }

    /** On the first map: the executor's two informers (a 403 here fails the map before any Job exists). */
    private synchronized void startInformers() {
        if (podInformer != null) return;
        String executor = settings.labels().get(IndexedJobFactory.EXECUTOR_LABEL);
        SharedIndexInformer<Pod> pods = null;
        try {
            pods = client.pods().inNamespace(namespace).withLabel(IndexedJobFactory.EXECUTOR_LABEL, executor)
                    .inform(onChange((Pod p, Boolean deleted) -> watchOf(p).ifPresent(w -> w.onPod(p, deleted))), 0);
            jobInformer = client.batch().v1().jobs().inNamespace(namespace).withLabel(IndexedJobFactory.EXECUTOR_LABEL, executor)
                    .inform(onChange((Job j, Boolean deleted) -> watchOf(j).ifPresent(w -> w.onJob(j, deleted))), 0);
            podInformer = pods;
        } catch (KubernetesClientException e) {
            if (pods != null) pods.stop();
            throw K8sErrors.explain("watch Jobs and pods", namespace, e);
        }
    }

    /**
     * Before each map's Job: the Secret its pods read the signing key from, created for the first map and again if it
     * is gone (another executor's sweep takes the Secret of one idle for longer than {@code jwren.k8s.key-sweep-age}).
     * A 403 here fails the map before any Job exists. The first map also sweeps, in the background.
     */
    private synchronized void ensureKeySecret() {
        if (signingKey == null) return;
        if (keySecretCreated) {
            try {
                if (client.secrets().inNamespace(namespace).withName(settings.keySecret()).get() != null) return;
            } catch (KubernetesClientException e) {
                throw K8sErrors.explain("read Secret " + settings.keySecret() + " of the executor's signing key", namespace, e);
            }
        } else {
            io.execute(this::sweepKeySecrets);
        }
        Map<String, String> labels = Map.of(IndexedJobFactory.MANAGED_BY, "jwren",
                IndexedJobFactory.EXECUTOR_LABEL, settings.labels().get(IndexedJobFactory.EXECUTOR_LABEL));
        try {
            client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                    .withNewMetadata().withName(settings.keySecret()).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withType("Opaque")
                    .addToData("JWREN_SIGNING_KEY", Base64.getEncoder().encodeToString(signingKey.getBytes(StandardCharsets.US_ASCII)))
                    .build()).create();
        } catch (KubernetesClientException e) {
            throw K8sErrors.explain("create Secret " + settings.keySecret() + " for the executor's signing key", namespace, e);
        }
        keySecretCreated = true;
    }

    /**
     * Deletes the key Secrets that executors which died without closing left in the namespace: another executor's
     * ({@code jwren-key-*}, managed by jwren), older than {@code jwren.k8s.key-sweep-age}, with no Job or pod of that
     * executor left. Deleted only as listed (its resource version), so one its executor just made again stays. Best
     * effort: without list on secrets nothing is swept, and nothing fails.
     */
    private void sweepKeySecrets() {
        try {
            Instant bornBefore = Instant.now().minus(settings.keySweepAge());
            for (Secret secret : client.secrets().inNamespace(namespace).withLabel(IndexedJobFactory.MANAGED_BY, "jwren")
                    .list().getItems()) {
                ObjectMeta meta = secret.getMetadata();
                String executor = meta.getLabels() == null ? null : meta.getLabels().get(IndexedJobFactory.EXECUTOR_LABEL);
                if (executor == null || !meta.getName().startsWith(IndexedJobFactory.KEY_SECRET_PREFIX)
                        || meta.getName().equals(settings.keySecret()) || meta.getCreationTimestamp() == null
                        || Instant.parse(meta.getCreationTimestamp()).isAfter(bornBefore)) continue;
                ListOptions one = new ListOptionsBuilder().withLimit(1L).build();
                if (!client.batch().v1().jobs().inNamespace(namespace).withLabel(IndexedJobFactory.EXECUTOR_LABEL, executor)
                        .list(one).getItems().isEmpty()) continue;
                if (!client.pods().inNamespace(namespace).withLabel(IndexedJobFactory.EXECUTOR_LABEL, executor)
                        .list(one).getItems().isEmpty()) continue;
                try {
                    client.secrets().inNamespace(namespace).resource(secret).lockResourceVersion().delete();
                } catch (KubernetesClientException changed) {
                    // made again, or deleted by its own executor or another sweep meanwhile: not ours to take
                }
            }
        } catch (KubernetesClientException | DateTimeParseException e) {
            // best effort, as the close's deletion: the label names the executor for a manual cleanup (docs/SECURITY.md)
        }
    }

    private java.util.Optional<JobWatch> watchOf(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        String id = labels == null ? null : labels.get(IndexedJobFactory.JOB_ID_LABEL);
        return java.util.Optional.ofNullable(id == null ? null : watches.get(id));
    }

    /** An informer's add and update as (object, false), its delete as (object, true). */
    private static <T> ResourceEventHandler<T> onChange(java.util.function.BiConsumer<T, Boolean> change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                change.accept(obj, false);
            }

            @Override
            public void onUpdate(T old, T obj) {
                change.accept(obj, false);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                change.accept(obj, true);
            }
        };
    }

    /** Longest a pod may run, so that a hung worker is stopped by the cluster even when the client is gone. */
    static long podDeadlineSeconds(Duration callTimeout, int calls) {
        long seconds = callTimeout.toSeconds();
        if (seconds <= 0 || seconds > TimeUnit.DAYS.toSeconds(30)) return 0;
        return seconds * calls + POD_DEADLINE_SLACK.toSeconds();
    }

    @Override
    public void abort(Invocation invocation) {
        JobWatch w = watches.get(IndexedJobFactory.labelValue(invocation.jobId()));
        if (w != null) w.abort(invocation);
    }

    @Override
    public void cancel(String jobId) {
        JobWatch w = watches.remove(IndexedJobFactory.labelValue(jobId));
        if (w != null) w.cancel();
    }

    @Override
    public void jobFinished(String jobId) {
        JobWatch w = watches.remove(IndexedJobFactory.labelValue(jobId));
        if (w != null) w.finish();
    }

    /** Maps this backend still watches (and holds pods, re-runs and timers for); for tests. */
    int heldJobs() {
        return watches.size();
    }

    @Override
    public void close() {
        for (String label : List.copyOf(watches.keySet())) {
            JobWatch w = watches.remove(label);
            if (w != null) w.cancel();
        }
        synchronized (this) {
            if (podInformer != null) podInformer.stop();
            if (jobInformer != null) jobInformer.stop();
            if (keySecretCreated) {
                try {
                    client.secrets().inNamespace(namespace).withName(settings.keySecret()).delete();
                } catch (KubernetesClientException e) {
                    // best effort, like the Jobs' deletion: its label names the executor for a manual cleanup
                }
                keySecretCreated = false;
            }
        }
        ticks.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS); // deletions under way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.shutdownNow();
        if (ownsClient) client.close();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

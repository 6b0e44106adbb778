package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jwren.spi.Backend;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.time.Duration;
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

    K8sBackend(KubernetesClient client, boolean ownsClient, K8sSettings settings) {
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

package io.jwren.testing.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes cluster for tests, on this machine: the fabric8 mock API server in CRUD mode, plus the parts
 * of a cluster that CRUD mode lacks, each doing only what the real one does through the API:
 * <ul>
 *   <li>a Job controller: creates a Job's pods (Indexed: one per completion index with the
 *       {@code job-completion-index} annotation and {@code JOB_COMPLETION_INDEX}; parallelism; a failed pod
 *       replaced while its index has {@code backoffLimitPerIndex} left, with {@code job-index-failure-count};
 *       Job-wide {@code backoffLimit}), and writes the Job's status through {@code /status};</li>
 *   <li>a kubelet: runs each pod's container as a local process — the image's entrypoint (a map from image
 *       name to command) with the container's args and the pod's environment (values, downward-API field
 *       references, {@code envFrom} Secrets) — writes the pod's status, serves {@code pods/log}, kills a
 *       pod past its {@code activeDeadlineSeconds}; an unknown image gives {@code ErrImagePull}, a memory
 *       request above the node's gives an unschedulable pod;</li>
 *   <li>the garbage collector: a deleted Job's pods are deleted, and their processes stopped;</li>
 *   <li>RBAC, crudely: every request into a namespace named with {@link #forbid} is answered 403.</li>
 * </ul>
 * With {@link #withoutPerIndexBackoff()} the API server behaves like one before Kubernetes 1.29: it drops
 * {@code backoffLimitPerIndex} and {@code maxFailedIndexes} from a created Job.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String NAMESPACE = "jwren-test";
    /** For every client of this server: generous, so that a request waiting for a busy machine's cores still ends. */
    public static final int REQUEST_TIMEOUT_MS = 60_000;
    private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");
    private static final Pattern JOB_CREATE = Pattern.compile("/apis/batch/v1/namespaces/[^/]+/jobs(?:\\?.*)?");

    /** Held so that its level stays set: the mock server logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient admin;
    private final Map<String, List<String>> images;
    private final Path logs;
    private final long nodeMemoryMi;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private volatile boolean perIndexBackoff = true;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Set<String> deadlineHit = ConcurrentHashMap.newKeySet();
    private final Map<String, JobState> jobs = new HashMap<>();
    private final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Job> jobsSeen = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Pod> podsCreated = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService kubelet = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-kubelet");
        t.setDaemon(true);
        return t;
    });
    /** The Job controller's work queue: informer callbacks only hand over, as a real controller's do. */
    private final ExecutorService controller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-job-controller");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-kubelet-deadlines");
        t.setDaemon(true);
        return t;
    });
    /** Held (read) by every request the CRUD store serves, which may send watch events; written by a watch leaving. */
    private final java.util.concurrent.locks.ReadWriteLock eventsLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Runs the mock server's watch close callbacks off its event loops: see {@link WatchCloseOffEventLoop}. */
    private final ExecutorService watchCloser = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-apiserver-watch-close");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Job> jobInformer;
    private SharedIndexInformer<Pod> podInformer;

    /** What the controller knows of one Job. */
    private static final class JobState {
        final String namespace, name, uid;
        final boolean indexed;
        final int completions, parallelism, backoffLimit;
        final Integer perIndexLimit;
        final Job job;
        final Map<Integer, String> active = new HashMap<>();
        final Set<Integer> succeeded = new TreeSet<>();
        final Set<Integer> failedIndexes = new TreeSet<>();
        final Map<Integer, Integer> failures = new HashMap<>();
        int failed;
        boolean finished;

        JobState(Job job, boolean perIndexBackoff) {
            this.job = job;
            namespace = job.getMetadata().getNamespace();
            name = job.getMetadata().getName();
            uid = job.getMetadata().getUid();
            indexed = "Indexed".equals(job.getSpec().getCompletionMode());
            completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
            parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
            backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
            perIndexLimit = perIndexBackoff && indexed ? job.getSpec().getBackoffLimitPerIndex() : null;
        }
    }

    private LocalCluster(Path logs, Map<String, List<String>> images, long nodeMemoryMi) {
        this.logs = logs;
        this.images = Map.copyOf(images);
        this.nodeMemoryMi = nodeMemoryMi;
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
        Dispatcher front = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return LocalCluster.this.dispatch(request, crud);
            }

            @Override
            public void shutdown() {
                crud.shutdown();
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, front, false);
        server.init();
        admin = server.createClient(b -> b.withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                io.fabric8.kubernetes.client.Config.empty()).withMasterUrl(server.url("/")).withNamespace(NAMESPACE)
                .withRequestTimeout(REQUEST_TIMEOUT_MS).build()));
    }

    /**
     * @param logs   where pods' logs are kept
     * @param images image name -> the command its entrypoint runs
     */
    public static LocalCluster start(Path logs, Map<String, List<String>> images) {
        return start(logs, images, 64 * 1024);
    }

    public static LocalCluster start(Path logs, Map<String, List<String>> images, long nodeMemoryMi) {
        LocalCluster c = new LocalCluster(logs, images, nodeMemoryMi);
        c.startControllers();
        return c;
    }

    /** An image whose entrypoint is {@code java -jar <jar>}, as docs/k8s/Dockerfile builds it. */
    public static List<String> javaJar(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss1m", "-jar", jar.toString());
    }

    /** The API server's URL, for {@code jwren.k8s.master}. */
    public String url() {
        return server.url("/");
    }

    /** A client of the API server with full rights, to look at what the backend made. */
    public KubernetesClient client() {
        return admin;
    }

    public void forbid(String namespace) {
        forbidden.add(namespace);
    }

    public LocalCluster withoutPerIndexBackoff() {
        perIndexBackoff = false;
        return this;
    }

    /** Creates a Secret whose keys become the environment of pods that name it in envFrom. */
    public void createSecret(String name, Map<String, String> values) {
        admin.secrets().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withStringData(values).build()).create();
    }

    /** Pods whose processes run now. */
    public int runningProcesses() {
        return (int) processes.values().stream().filter(Process::isAlive).count();
    }

    /** What the controllers did, in order ("pod X created", "pod X Failed exit 3" ...), for failure messages. */
    public List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Every Job the controller has seen created, as created: what stays true after someone deletes them. */
    public List<Job> jobsSeen() {
        synchronized (jobsSeen) {
            return List.copyOf(jobsSeen);
        }
    }

    /** Every pod the controller created, as created (labels, annotations, spec). */
    public List<Pod> podsCreated() {
        synchronized (podsCreated) {
            return List.copyOf(podsCreated);
        }
    }

    public String log(String podName) {
        try {
            return Files.readString(logs.resolve(podName + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    // ---- the API server's front: RBAC, pods/log, old-server field dropping ----

    private MockResponse dispatch(RecordedRequest request, KubernetesMixedDispatcher crud) {
        String path = request.getPath();
        for (String ns : forbidden) {
            if (path.contains("/namespaces/" + ns + "/") || path.endsWith("/namespaces/" + ns)) {
                return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json").setBody(
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"jobs.batch is forbidden: User \\\"system:serviceaccount:" + ns + ":default\\\" cannot "
                        + verb(request.getMethod()) + " resource \\\"jobs\\\" in API group \\\"batch\\\" in the "
                        + "namespace \\\"" + ns + "\\\"\",\"reason\":\"Forbidden\",\"details\":{\"group\":\"batch\",\"kind\":\"jobs\"},\"code\":403}");
            }
        }
        Matcher log = LOG.matcher(path);
        if (log.matches() && "GET".equals(request.getMethod())) return podLog(log.group(2), log.group(3));
        if (!perIndexBackoff && "POST".equals(request.getMethod()) && JOB_CREATE.matcher(path).matches()) {
            ObjectNode job = (ObjectNode) json.readTree(request.getUtf8Body());
            JsonNode spec = job.get("spec");
            if (spec instanceof ObjectNode s) {
                s.remove("backoffLimitPerIndex");
                s.remove("maxFailedIndexes");
            }
            request = new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                    new Buffer().writeUtf8(json.writeValueAsString(job)));
        }
        MockResponse response;
        eventsLock.readLock().lock();
        try {
            response = crud.dispatch(request);
        } finally {
            eventsLock.readLock().unlock();
        }
        if (response.getWebSocketListener() != null) {
            response.withWebSocketUpgrade(new WatchCloseOffEventLoop(response.getWebSocketListener(), watchCloser,
                    eventsLock.writeLock()));
        }
        return response;
    }

    private static String verb(String method) {
        return switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "get";
        };
    }

    private MockResponse podLog(String pod, String query) {
        Path file = logs.resolve(pod + ".log");
        if (!Files.exists(file)) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\"pods \\\"" + pod + "\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
        }
        int tail = -1;
        if (query != null) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("tailLines")) tail = Integer.parseInt(URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (tail >= 0 && lines.size() > tail) lines = lines.subList(lines.size() - tail, lines.size());
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                    .setBody(lines.stream().map(l -> l + "\n").collect(Collectors.joining()));
        } catch (IOException e) {
            return new MockResponse().setResponseCode(500).setBody(e.toString());
        }
    }

    // ---- the Job controller and the garbage collector ----

    private void startControllers() {
        jobInformer = admin.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                controller.execute(() -> jobAdded(job));
            }

            @Override
            public void onUpdate(Job old, Job job) {}

            @Override
            public void onDelete(Job job, boolean unknown) {
                controller.execute(() -> jobDeleted(job));
            }
        }, 0);
        podInformer = admin.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (pod.getStatus() == null || pod.getStatus().getPhase() == null) kubelet.execute(() -> runPod(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (terminal(pod) && !terminal(old)) controller.execute(() -> podEnded(pod, false));
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                Process p = processes.remove(pod.getMetadata().getUid());
                if (p != null) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                if (!terminal(pod)) controller.execute(() -> podEnded(pod, true));
            }
        }, 0);
    }

    private void jobAdded(Job job) {
        JobState s;
        synchronized (this) {
            if (jobs.containsKey(job.getMetadata().getUid())) return;
            s = new JobState(job, perIndexBackoff);
            jobs.put(s.uid, s);
        }
        jobsSeen.add(job);
        record("job " + s.name + " created");
        reconcile(s);
    }

    /** The garbage collector's part: a deleted Job's pods go too. */
    private void jobDeleted(Job job) {
        synchronized (this) {
            JobState s = jobs.remove(job.getMetadata().getUid());
            if (s != null) s.finished = true;
        }
        record("job " + job.getMetadata().getName() + " deleted");
        for (Pod p : admin.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("controller-uid", job.getMetadata().getUid()).list().getItems()) {
            deletePod(p);
        }
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private void deletePod(Pod p) {
        try {
            admin.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
        } catch (KubernetesClientException ignored) {
            // already gone
        }
    }

    /** Starts pods for indexes that need one, up to parallelism; marks the Job done when every index is. */
    private void reconcile(JobState s) {
        List<Pod> toCreate = new ArrayList<>();
        boolean done;
        synchronized (this) {
            if (s.finished) return;
            for (int i = 0; i < s.completions && s.active.size() < s.parallelism; i++) {
                if (s.succeeded.contains(i) || s.failedIndexes.contains(i) || s.active.containsKey(i)) continue;
                Pod pod = newPod(s, i);
                s.active.put(i, pod.getMetadata().getName());
                toCreate.add(pod);
            }
            done = s.active.isEmpty() && s.succeeded.size() + s.failedIndexes.size() >= s.completions;
            if (done) s.finished = true;
        }
        for (Pod pod : toCreate) {
            admin.pods().inNamespace(s.namespace).resource(pod).create();
            podsCreated.add(pod);
            record("pod " + pod.getMetadata().getName() + " created");
        }
        writeJobStatus(s, done ? (s.failedIndexes.isEmpty() ? "Complete" : "Failed") : null,
                s.failedIndexes.isEmpty() ? null : "FailedIndexes");
    }

    private Pod newPod(JobState s, int index) {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
        String name = s.name + "-" + (s.indexed ? index + "-" : "") + "0".repeat(5 - suffix.length()) + suffix;
        Map<String, String> labels = new LinkedHashMap<>(s.job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("controller-uid", s.uid);
        labels.put("batch.kubernetes.io/controller-uid", s.uid);
        labels.put("job-name", s.name);
        labels.put("batch.kubernetes.io/job-name", s.name);
        Map<String, String> annotations = new LinkedHashMap<>();
        PodSpec spec = new PodSpecBuilder(s.job.getSpec().getTemplate().getSpec()).build();
        if (s.indexed) {
            labels.put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
            annotations.put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
            if (s.perIndexLimit != null) {
                annotations.put("batch.kubernetes.io/job-index-failure-count", Integer.toString(s.failures.getOrDefault(index, 0)));
            }
            for (Container c : spec.getContainers()) {
                List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
                env.add(new EnvVarBuilder().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']").endFieldRef()
                        .endValueFrom().build());
                c.setEnv(env);
            }
        }
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(s.namespace).withLabels(labels).withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                            .withName(s.name).withUid(s.uid).withController(true).build())
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** A pod of a Job ended (or was deleted before it did): count it, and go on. */
    private void podEnded(Pod pod, boolean deleted) {
        String uid = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("controller-uid");
        JobState s;
        List<Pod> stop = new ArrayList<>();
        boolean failJob = false;
        synchronized (this) {
            s = uid == null ? null : jobs.get(uid);
            if (s == null || s.finished) return;
            String idx = pod.getMetadata().getAnnotations() == null ? null
                    : pod.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
            int i = idx == null ? 0 : Integer.parseInt(idx);
            if (!pod.getMetadata().getName().equals(s.active.get(i))) return;
            s.active.remove(i);
            if (!deleted && "Succeeded".equals(pod.getStatus().getPhase())) {
                s.succeeded.add(i);
            } else {
                s.failed++;
                int f = s.failures.merge(i, 1, Integer::sum);
                if (s.perIndexLimit != null) {
                    if (f > s.perIndexLimit) s.failedIndexes.add(i);
                } else if (s.failed > s.backoffLimit) {
                    failJob = true;
                    s.finished = true;
                    for (String name : s.active.values()) {
                        stop.add(new PodBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata().build());
                    }
                }
            }
        }
        if (failJob) {
            stop.forEach(this::deletePod);
            writeJobStatus(s, "Failed", "BackoffLimitExceeded");
            return;
        }
        reconcile(s);
    }

    private void writeJobStatus(JobState s, String condition, String reason) {
        String completed;
        String failedIdx;
        int active, succeeded, failed;
        synchronized (this) {
            completed = ranges(s.succeeded);
            failedIdx = ranges(s.failedIndexes);
            active = s.active.size();
            succeeded = s.succeeded.size();
            failed = s.failed;
        }
        try {
            admin.batch().v1().jobs().inNamespace(s.namespace).withName(s.name).editStatus(j -> {
                JobStatus st = j.getStatus() == null ? new JobStatus() : j.getStatus();
                st.setActive(active);
                st.setSucceeded(succeeded);
                st.setFailed(failed);
                if (s.indexed) {
                    st.setCompletedIndexes(completed);
                    if (s.perIndexLimit != null) st.setFailedIndexes(failedIdx);
                }
                if (st.getStartTime() == null) st.setStartTime(Instant.now().toString());
                if (condition != null) {
                    st.setCompletionTime("Complete".equals(condition) ? Instant.now().toString() : null);
                    st.setConditions(List.of(new JobConditionBuilder().withType(condition).withStatus("True")
                            .withReason(reason).withMessage("Complete".equals(condition) ? null
                                    : "FailedIndexes".equals(reason) ? "Job has failed indexes" : "Job has reached the specified backoff limit")
                            .withLastTransitionTime(Instant.now().toString()).build()));
                }
                j.setStatus(st);
                return j;
            });
        } catch (KubernetesClientException e) {
            // the Job was deleted meanwhile
        }
        if (condition != null) record("job " + s.name + " " + condition + (reason == null ? "" : " (" + reason + ")"));
    }

    private static String ranges(Set<Integer> indexes) {
        return indexes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    // ---- the kubelet ----

    private void runPod(Pod pod) {
        String name = pod.getMetadata().getName();
        Container c = pod.getSpec().getContainers().get(0);
        Quantity memory = c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get("memory");
        if (memory != null && Quantity.getAmountInBytes(memory).longValue() > nodeMemoryMi * 1024 * 1024) {
            setStatus(pod, st -> {
                st.setPhase("Pending");
                st.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient memory.").build()));
            });
            record("pod " + name + " unschedulable");
            return;
        }
        List<String> entrypoint = images.get(c.getImage());
        if (entrypoint == null) {
            waiting(pod, "ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image \""
                    + c.getImage() + "\": not found");
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getSecretRef() == null) continue;
            Secret secret = admin.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(from.getSecretRef().getName()).get();
            if (secret == null) {
                waiting(pod, "CreateContainerConfigError", "secret \"" + from.getSecretRef().getName() + "\" not found");
                return;
            }
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) env.putAll(secret.getStringData());
        }
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) env.put(e.getName(), resolve(pod, e));
        List<String> command = new ArrayList<>(c.getCommand() != null && !c.getCommand().isEmpty() ? c.getCommand() : entrypoint);
        if (c.getArgs() != null) command.addAll(c.getArgs());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> penv = pb.environment();
        String path = penv.get("PATH");
        String home = penv.get("HOME");
        penv.clear(); // a container sees its own environment, not the test JVM's
        if (path != null) penv.put("PATH", path);
        if (home != null) penv.put("HOME", home);
        penv.put("HOSTNAME", name);
        penv.putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            waiting(pod, "CreateContainerError", e.getMessage());
            return;
        }
        processes.put(pod.getMetadata().getUid(), process);
        String startedAt = Instant.now().toString();
        setStatus(pod, st -> {
            st.setPhase("Running");
            st.setStartTime(startedAt);
            st.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                    new PodConditionBuilder().withType("Ready").withStatus("True").build()));
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withReady(true).withStarted(true).withState(new ContainerStateBuilder().withNewRunning()
                            .withStartedAt(startedAt).endRunning().build()).build()));
        });
        record("pod " + name + " running");
        Long deadline = pod.getSpec().getActiveDeadlineSeconds();
        if (deadline != null) {
            deadlines.schedule(() -> {
                if (process.isAlive()) {
                    deadlineHit.add(name);
                    process.destroyForcibly();
                }
            }, deadline, TimeUnit.SECONDS);
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            return;
        }
        if (processes.remove(pod.getMetadata().getUid()) == null) return; // deleted: nothing to write
        boolean overDeadline = deadlineHit.contains(name);
        setStatus(pod, st -> {
            st.setPhase(exit == 0 && !overDeadline ? "Succeeded" : "Failed");
            if (overDeadline) {
                st.setReason("DeadlineExceeded");
                st.setMessage("Pod was active on the node longer than the specified deadline");
            }
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withReady(false).withStarted(false).withState(new ContainerStateBuilder().withNewTerminated()
                            .withExitCode(exit).withReason(exit == 0 ? "Completed" : "Error").withStartedAt(startedAt)
                            .withFinishedAt(Instant.now().toString()).endTerminated().build()).build()));
        });
        record("pod " + name + (exit == 0 && !overDeadline ? " Succeeded" : " Failed exit " + exit));
    }

    /** A downward-API field reference as the kubelet resolves it; a missing annotation gives "". */
    private static String resolve(Pod pod, EnvVar e) {
        if (e.getValueFrom() == null || e.getValueFrom().getFieldRef() == null) return e.getValue() == null ? "" : e.getValue();
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        Matcher m = Pattern.compile("metadata\\.(annotations|labels)\\['(.+)'\\]").matcher(field);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("annotations") ? pod.getMetadata().getAnnotations() : pod.getMetadata().getLabels();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (field) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            default -> "";
        };
    }

    private void waiting(Pod pod, String reason, String message) {
        Container c = pod.getSpec().getContainers().get(0);
        setStatus(pod, st -> {
            st.setPhase("Pending");
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withReady(false).withState(new ContainerStateBuilder().withNewWaiting().withReason(reason)
                            .withMessage(message).endWaiting().build()).build()));
        });
        record("pod " + pod.getMetadata().getName() + " waiting " + reason);
    }

    private void setStatus(Pod pod, java.util.function.Consumer<PodStatus> edit) {
        try {
            admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
                PodStatus st = p.getStatus() == null ? new PodStatus() : p.getStatus();
                edit.accept(st);
                p.setStatus(st);
                return p;
            });
        } catch (KubernetesClientException e) {
            // the pod was deleted meanwhile
        }
    }

    private void record(String event) {
        history.add(event);
    }

    /**
     * Stops what writes to the API server first (controllers, kubelet, pods), then the watches, then the server.
     * Watch close callbacks still running end once the server's connections are gone.
     */
    @Override
    public void close() {
        controller.shutdownNow();
        kubelet.shutdownNow();
        deadlines.shutdownNow();
        for (Process p : processes.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (jobInformer != null) jobInformer.stop();
        if (podInformer != null) podInformer.stop();
        admin.close();
        server.destroy();
        watchCloser.shutdown();
        try {
            if (!watchCloser.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("watch close callbacks still running 60 s after the API server closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

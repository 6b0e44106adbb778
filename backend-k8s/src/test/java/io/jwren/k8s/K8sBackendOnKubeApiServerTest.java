package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.jwren.Executor;
import io.jwren.JWrenException;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.SerializableFunction;
import io.jwren.WorkerLostException;
import io.jwren.testing.k8s.KubeApiServer;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.testing.HangOnce;
import io.jwren.testing.RememberingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The k8s backend against a real control plane ({@link KubeApiServer}: etcd, kube-apiserver, and
 * kube-controller-manager's Job, TTL-after-finished and garbage-collector controllers) whose one node runs pods
 * as worker JVMs ({@code java -jar jwren-worker.jar}), over S3Proxy.
 */
class K8sBackendOnKubeApiServerTest {
    static final String IMAGE = "registry.example/jwren-worker:test";
    static final String BUCKET = "jwren-k8s";
    static S3ProxyServer s3;
    static KubeApiServer cluster;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        String property = System.getProperty("jwren.test.worker-jar");
        if (property == null || !Files.isRegularFile(Path.of(property)))
            fail("the worker jar " + property + " is missing: run `mvn verify`, which packages worker-runtime first");
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        S3ProxyServer.useAsDefaultCredentials();
        cluster = KubeApiServer.start(scratch.resolve("cluster"), Map.of(IMAGE, KubeApiServer.javaJar(Path.of(property).toAbsolutePath())));
        cluster.createSecret(KubeApiServer.NAMESPACE, "jwren-s3", Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
        if (s3 != null) s3.close();
    }

    static Executor.Builder onCluster(KubeApiServer c, String prefix) {
        return Executor.builder().backend("k8s").storage("s3://" + BUCKET + "/" + prefix)
                .property("jwren.s3.endpoint", s3.endpoint().toString())
                .property("jwren.s3.region", "us-east-1")
                .property("jwren.s3.path-style", "true")
                .property("jwren.k8s.kubeconfig", c.kubeconfig().toString())
                .property("jwren.k8s.request-timeout", KubeApiServer.REQUEST_TIMEOUT_MS + "ms")
                .property("jwren.k8s.namespace", KubeApiServer.NAMESPACE)
                .property("jwren.k8s.image", IMAGE)
                .property("jwren.k8s.secret", "jwren-s3")
                .property("jwren.k8s.parallelism", "3")
                .property("jwren.progress", "false");
    }

    private static List<Job> jobsOf(KubeApiServer c, String jobId) {
        return c.client().batch().v1().jobs().inNamespace(KubeApiServer.NAMESPACE)
                .withLabel(IndexedJobFactory.JOB_ID_LABEL, IndexedJobFactory.labelValue(jobId)).list().getItems();
    }

    private static List<Pod> podsOf(KubeApiServer c, String jobId) {
        return c.client().pods().inNamespace(KubeApiServer.NAMESPACE)
                .withLabel(IndexedJobFactory.JOB_ID_LABEL, IndexedJobFactory.labelValue(jobId)).list().getItems();
    }

    private static List<Job> jobsSeen(String jobId) {
        String label = IndexedJobFactory.labelValue(jobId);
        return cluster.jobsSeen().stream().filter(j -> label.equals(j.getMetadata().getLabels().get(IndexedJobFactory.JOB_ID_LABEL))).toList();
    }

    private static List<Pod> podsCreated(String jobId) {
        String label = IndexedJobFactory.labelValue(jobId);
        return cluster.podsCreated().stream().filter(p -> label.equals(p.getMetadata().getLabels().get(IndexedJobFactory.JOB_ID_LABEL))).toList();
    }

    /** Waits for a state the cluster reaches by itself (a deletion, a process stopping), failing with what it shows. */
    private static void eventually(String what, BooleanSupplier condition, Supplier<String> shows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail(what + " did not happen in 120 s; " + shows.get());
            Thread.sleep(50);
        }
    }

    @Test
    void theBackendWatchesNoMapThatHasEnded() throws Exception {
        int maps = 2; // each pod is a JVM: two finished maps and a cancelled one show the release, at a third of the cost of more
        try (Executor ex = onCluster(cluster, "held").property("jwren.backend", "k8s-held").build()) {
            List<MapFuture<Integer>> futures = new java.util.ArrayList<>();
            for (int m = 0; m < maps; m++) futures.add(ex.map(x -> x + 1, List.of(m, m + 1)));
            ex.map(x -> x + 1, List.of(-1)).cancel(true);
            for (int m = 0; m < maps; m++) {
                assertEquals(List.of(m + 1, m + 2), futures.get(m).get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            }
            K8sBackend backend = RememberingProvider.backendOf(ex.id());
            // the engine tells the backend a map ended just after its last call completes
            eventually("every watch released", () -> backend.heldJobs() == 0, () -> backend.heldJobs() + " maps still watched");
        }
    }

    @Test
    void aMapIsOneIndexedJobWhosePodsRunItsInvocations() throws Exception {
        String keySecret;
        try (Executor ex = onCluster(cluster, "square").build()) {
            keySecret = IndexedJobFactory.keySecretName(ex.id());
            List<Integer> inputs = IntStream.range(0, 20).boxed().toList();
            MapFuture<Integer> f = ex.map(x -> x * x + 1, inputs, MapOptions.builder().chunkSize(4).memoryMb(512).build());
            assertEquals(inputs.stream().map(x -> x * x + 1).toList(), f.get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            // What was created, not what is left: a map whose results are in may end before the watch has seen its
            // last pod exit, and then the backend deletes the Job (and the garbage collector its pods) at map end.
            List<Job> jobs = jobsSeen(f.jobId());
            assertEquals(1, jobs.size(), "one Job per map, no re-runs: " + jobs);
            Job job = jobs.get(0);
            assertEquals("Indexed", job.getSpec().getCompletionMode());
            assertEquals(5, job.getSpec().getCompletions());
            assertEquals(3, job.getSpec().getParallelism());
            List<Pod> pods = podsCreated(f.jobId());
            assertEquals(5, pods.size(), () -> String.join("\n", cluster.history()));
            for (Pod p : pods) {
                String name = p.getMetadata().getName();
                assertTrue(name.length() <= 63);
                assertEquals("512Mi", p.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString());
            }
            // the pods ran a signed job: their key came from the executor's Secret, which the Job only names
            var secret = cluster.client().secrets().inNamespace(KubeApiServer.NAMESPACE).withName(keySecret).get();
            assertTrue(secret != null && secret.getData().containsKey("JWREN_SIGNING_KEY"), "the executor's key Secret");
            assertTrue(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                    .anyMatch(e -> keySecret.equals(e.getSecretRef().getName())), "the pods take the key from it");
        }
        assertEquals(null, cluster.client().secrets().inNamespace(KubeApiServer.NAMESPACE).withName(keySecret).get(),
                "the key's Secret is deleted when the executor closes");
    }

    /**
     * An executor that dies without closing leaves its key Secret; the next executor's first map sweeps it, once old
     * enough and with nothing of its executor left. One whose executor still has a Job stays, and an executor whose
     * Secret went (swept while it sat idle) makes it again before its next map.
     */
    @Test
    void keySecretsOfExecutorsThatDiedAreSweptAndAnExecutorWhoseSecretWentMakesItAgain() throws Exception {
        var secrets = cluster.client().secrets().inNamespace(KubeApiServer.NAMESPACE);
        var jobs = cluster.client().batch().v1().jobs().inNamespace(KubeApiServer.NAMESPACE);
        String dead = leftKeySecret("dead0executor");
        String busy = leftKeySecret("busy0executor");
        // a Job of that executor is still there (suspended: the controller makes no pod of it)
        jobs.resource(new JobBuilder().withNewMetadata().withName("busy0executor-map")
                .withLabels(Map.of(IndexedJobFactory.EXECUTOR_LABEL, "busy0executor")).endMetadata()
                .withNewSpec().withSuspend(true).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("worker").withImage(IMAGE).endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        try (Executor idle = onCluster(cluster, "sweep-idle").build()) {
            String idleSecret = IndexedJobFactory.keySecretName(idle.id());
            assertEquals(List.of(2), idle.map((Integer x) -> x + 1, List.of(1)).get(180, TimeUnit.SECONDS),
                    () -> String.join("\n", cluster.history()));
            try (Executor next = onCluster(cluster, "sweep-next").property("jwren.k8s.key-sweep-age", "0s").build()) {
                assertEquals(List.of(3), next.map((Integer x) -> x + 1, List.of(2)).get(180, TimeUnit.SECONDS),
                        () -> String.join("\n", cluster.history()));
            } // closing waits for the sweep, which runs beside the first map
            assertEquals(null, secrets.withName(dead).get(), "swept: nothing of its executor is left");
            assertTrue(secrets.withName(busy).get() != null, "kept: a Job of its executor is left");
            assertTrue(secrets.withName("jwren-s3").get() != null, "the credentials Secret is not a key Secret");
            // the idle executor's Secret may have been swept too (its map's Job went at map end); if not, as if it was
            secrets.withName(idleSecret).delete();
            assertEquals(List.of(4), idle.map((Integer x) -> x + 1, List.of(3)).get(180, TimeUnit.SECONDS),
                    () -> String.join("\n", cluster.history()));
            var again = secrets.withName(idleSecret).get();
            assertTrue(again != null && again.getData().containsKey("JWREN_SIGNING_KEY"), "made again before the map's Job");
        } finally {
            jobs.withName("busy0executor-map").delete();
            secrets.withName(busy).delete();
        }
    }

    /** What an executor that died without closing leaves of its key: its Secret, labelled as the backend labels it. */
    private static String leftKeySecret(String executorId) {
        String name = IndexedJobFactory.keySecretName(executorId);
        cluster.client().secrets().inNamespace(KubeApiServer.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(name).withLabels(Map.of(IndexedJobFactory.MANAGED_BY, "jwren", IndexedJobFactory.EXECUTOR_LABEL,
                        executorId)).endMetadata().withStringData(Map.of("JWREN_SIGNING_KEY", "left-behind")).build()).create();
        return name;
    }

    @Test
    void aPodThatDiesFailsItsCallsWithTheTailOfItsLogAfterTheControllerRetriedTheIndex() throws Exception {
        try (Executor ex = onCluster(cluster, "dies").build()) {
            SerializableFunction<Integer, Integer> fn = x -> {
                if (x == 6) {
                    System.err.println("disk on fire at call " + x);
                    System.err.flush();
                    Runtime.getRuntime().halt(3);
                }
                return x * 2;
            };
            MapFuture<Integer> f = ex.map(fn, IntStream.range(0, 8).boxed().toList(),
                    MapOptions.builder().chunkSize(2).retries(1).build());
            for (int i = 0; i < 6; i++) assertEquals(i * 2, f.calls().get(i).get(180, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.calls().get(6).get(180, TimeUnit.SECONDS));
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            String m = lost.getMessage();
            System.err.println("[jwren-test] a pod that dies: " + m);
            assertTrue(m.contains("2 attempts"), m);
            assertTrue(m.contains("exit code 3"), m);
            assertTrue(m.contains("disk on fire at call 6"), "the pod's log tail is in the error: " + m);
            assertTrue(m.contains("pod jwren-" + f.jobId().toLowerCase() + "-3-"), "names the pod of index 3: " + m);
            // The Job controller re-ran index 3 (backoffLimitPerIndex): two of its pods, no re-run Job. Read from what
            // was created: the map's end may delete the Job before the watch saw every pod exit (see above).
            assertEquals(1, jobsSeen(f.jobId()).size());
            List<String> failureCounts = podsCreated(f.jobId()).stream()
                    .filter(p -> "3".equals(p.getMetadata().getAnnotations().get(IndexedJobFactory.COMPLETION_INDEX_ANNOTATION)))
                    .map(p -> p.getMetadata().getAnnotations().get(IndexedJobFactory.FAILURE_COUNT_ANNOTATION)).sorted().toList();
            assertEquals(List.of("0", "1"), failureCounts);
            assertEquals(5, f.stats().attempts(), "4 invocations and one re-run: " + f.stats());
        }
    }

    @Test
    void cancellingTheMapDeletesItsJobAndThePodsGoWithIt() throws Exception {
        try (Executor ex = onCluster(cluster, "cancel").build()) {
            MapFuture<Integer> f = ex.map(x -> {
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return x;
            }, IntStream.range(0, 4).boxed().toList(), MapOptions.builder().chunkSize(1).build());
            eventually("3 pods running", () -> f.status().running() == 3, () -> f.status() + "\n" + String.join("\n", cluster.history()));
            assertEquals(1, jobsOf(cluster, f.jobId()).size());
            assertTrue(cluster.runningProcesses() >= 3);
            f.cancel(true);
            eventually("the Job deleted", () -> jobsOf(cluster, f.jobId()).isEmpty(), () -> jobsOf(cluster, f.jobId()).toString());
            eventually("its pods deleted", () -> podsOf(cluster, f.jobId()).isEmpty(), () -> String.join("\n", cluster.history()));
            eventually("the worker processes stopped", () -> cluster.runningProcesses() == 0, () -> "still " + cluster.runningProcesses());
        }
    }

    @Test
    void aJobDeletedBySomeoneElseFailsItsCallsAtOnceSayingSo() throws Exception {
        try (Executor ex = onCluster(cluster, "deleted").build()) {
            MapFuture<Integer> f = ex.map(HangOnce.plus100(scratch.toString(), 0), List.of(0), MapOptions.builder().retries(0).build());
            eventually("the pod running", () -> f.status().running() == 1, () -> String.join("\n", cluster.history()));
            // kubectl delete job: the cluster's garbage collector then deletes its pod
            cluster.client().batch().v1().jobs().inNamespace(KubeApiServer.NAMESPACE)
                    .withName(IndexedJobFactory.jobName(f.jobId())).delete();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.calls().get(0).get(120, TimeUnit.SECONDS));
            String m = e.getCause().getMessage();
            assertInstanceOf(WorkerLostException.class, e.getCause(), m);
            assertTrue(m.contains("deleted"), m);
            eventually("the worker process stopped", () -> cluster.runningProcesses() == 0, () -> "still " + cluster.runningProcesses());
        }
    }

    @Test
    void anImageThatCannotBePulledFailsTheCallsWithTheReasonNotAHang() throws Exception {
        try (Executor ex = onCluster(cluster, "bad-image").property("jwren.k8s.image", "registry.example/no-such-image:1").build()) {
            MapFuture<Integer> f = ex.map(x -> x, List.of(1, 2), MapOptions.builder().chunkSize(1).retries(1).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.calls().get(0).get(120, TimeUnit.SECONDS));
            String m = e.getCause().getMessage();
            assertInstanceOf(WorkerLostException.class, e.getCause(), m);
            System.err.println("[jwren-test] a bad image: " + m);
            assertTrue(m.contains("ErrImagePull") && m.contains("registry.example/no-such-image:1"), m);
            assertTrue(m.contains("2 attempts"), "the retry ran as a re-run Job and met the same: " + m);
            // The stuck pods are not left behind: the Jobs that hold them are deleted once the map is over.
            eventually("the map's Jobs deleted", () -> jobsOf(cluster, f.jobId()).isEmpty(), () -> String.join("\n", cluster.history()));
        }
    }

    @Test
    void aTimedOutIndexIsRunAgainAsAReRunJobAndTheHungPodIsStoppedWhenTheMapEnds() throws Exception {
        Path marks = Files.createDirectories(scratch.resolve("hang"));
        // A 2 s call timeout plus the backend's 30 s of grace, counted from the pod running: the healthy pods and
        // the re-run of index 1 must start their JVM and deliver within it, three JVMs starting at once. With 5 s
        // of grace a loaded machine can miss that, and a re-run that misses it fails the map (retries 1).
        try (Executor ex = onCluster(cluster, "timeout").build()) {
            MapFuture<Integer> f = ex.map(HangOnce.plus100(marks.toString(), 1), List.of(0, 1, 2),
                    MapOptions.builder().chunkSize(1).retries(1).timeout(Duration.ofSeconds(2)).build());
            assertEquals(List.of(100, 101, 102), f.get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            assertTrue(Files.exists(marks.resolve("first-run-of-1")));
            assertEquals(1, f.stats().callStats().get(1).attempt(), "call 1's result came from its second attempt");
            String rerun = IndexedJobFactory.rerunJobName(f.jobId(), 1, 1);
            assertTrue(jobsSeen(f.jobId()).stream().anyMatch(j -> j.getMetadata().getName().equals(rerun)),
                    () -> "a re-run Job " + rerun + ": " + jobsSeen(f.jobId()).stream().map(j -> j.getMetadata().getName()).toList());
            // The Indexed Job still ran the hung pod: the map being over, its Jobs are deleted, the pod stopped.
            eventually("the hung worker stopped", () -> cluster.runningProcesses() == 0, () -> String.join("\n", cluster.history()));
            // deleted one after the other: the re-run Job may still be going when the hung pod has stopped
            eventually("the map's Jobs deleted", () -> jobsOf(cluster, f.jobId()).isEmpty(), () -> String.join("\n", cluster.history()));
        }
    }

    @Test
    void aPodThatCannotBeScheduledIsReportedWithTheSchedulersReason() throws Exception {
        try (Executor ex = onCluster(cluster, "unschedulable").property("jwren.k8s.start-timeout", "PT3S").build()) {
            MapFuture<Integer> f = ex.map(x -> x, List.of(1), MapOptions.builder().retries(0).memoryMb(200_000).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.calls().get(0).get(120, TimeUnit.SECONDS));
            String m = e.getCause().getMessage();
            System.err.println("[jwren-test] unschedulable: " + m);
            assertTrue(m.contains("did not start within 3 s") && m.contains("Insufficient memory"), m);
        }
    }

    @Test
    void aFinishedJobIsRemovedByTheClustersTtlControllerAndItsPodsByTheGarbageCollector() throws Exception {
        try (Executor ex = onCluster(cluster, "ttl").property("jwren.k8s.ttl", "PT1S").build()) {
            MapFuture<Integer> f = ex.map(x -> x + 1, List.of(1, 2), MapOptions.builder().chunkSize(1).build());
            assertEquals(List.of(2, 3), f.get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            List<Job> jobs = jobsSeen(f.jobId());
            assertEquals(1, jobs.size());
            assertEquals(1, jobs.get(0).getSpec().getTtlSecondsAfterFinished());
            eventually("the finished Job removed after its TTL", () -> jobsOf(cluster, f.jobId()).isEmpty(),
                    () -> jobsOf(cluster, f.jobId()).toString());
            eventually("its pods removed with it", () -> podsOf(cluster, f.jobId()).isEmpty(), () -> String.join("\n", cluster.history()));
        }
    }

    // ---- RBAC for real: docs/k8s/rbac.yaml as it is, and a service account's token ----

    private static final String RBAC_NAMESPACE = "jwren";
    private static boolean rbacApplied;

    /** The namespace docs/k8s/rbac.yaml names, the file applied as it is, and the pods' S3 Secret there. */
    private static synchronized Path asRbacClient() throws IOException {
        if (!rbacApplied) {
            cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(RBAC_NAMESPACE).endMetadata()
                    .build()).create();
            try (InputStream yaml = Files.newInputStream(Path.of("..", "docs", "k8s", "rbac.yaml"))) {
                cluster.client().load(yaml).create();
            }
            cluster.createSecret(RBAC_NAMESPACE, "jwren-s3", Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
            rbacApplied = true;
        }
        return cluster.kubeconfigFor(RBAC_NAMESPACE, "jwren-client");
    }

    private static Executor.Builder withRole(String prefix) throws IOException {
        return onCluster(cluster, prefix).property("jwren.k8s.kubeconfig", asRbacClient().toString())
                .property("jwren.k8s.namespace", RBAC_NAMESPACE);
    }

    /** Whether the API server's authorizer now lets the service account do {@code verb} on {@code resource}. */
    private static boolean allowed(String verb, String resource) {
        return cluster.client().authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser("system:serviceaccount:" + RBAC_NAMESPACE + ":jwren-client")
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + RBAC_NAMESPACE, "system:authenticated")
                .withNewResourceAttributes().withNamespace(RBAC_NAMESPACE).withVerb(verb).withGroup("batch").withResource(resource)
                .endResourceAttributes().endSpec().build()).getStatus().getAllowed();
    }

    /**
     * The Role suffices for every path a map takes (results, a pod that dies and has its log read, a cancel that
     * deletes the Job), the API server's audit log shows the service account used each of its verbs and nothing
     * else, and without {@code create} on jobs the map fails at submit with the 403 naming docs/k8s/rbac.yaml.
     */
    @Test
    void theRoleInDocsIsExactlyWhatMapsUseAndWithoutCreateOnJobsTheMapFailsWithA403NamingIt() throws Exception {
        try (Executor ex = withRole("rbac").build()) {
            MapFuture<Integer> f = ex.map(x -> x * 3, List.of(1, 2, 3), MapOptions.builder().chunkSize(1).build());
            assertEquals(List.of(3, 6, 9), f.get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            SerializableFunction<Integer, Integer> dies = x -> {
                if (x == 1) {
                    System.err.println("no RBAC on fire at call " + x);
                    System.err.flush();
                    Runtime.getRuntime().halt(3);
                }
                return x;
            };
            MapFuture<Integer> g = ex.map(dies, List.of(0, 1), MapOptions.builder().chunkSize(1).retries(0).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> g.calls().get(1).get(180, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("no RBAC on fire at call 1"), "the log tail, read with pods/log: "
                    + e.getCause().getMessage());
            MapFuture<Integer> h = ex.map(HangOnce.plus100(scratch.toString(), 0), List.of(0), MapOptions.builder().retries(0).build());
            eventually("the pod running", () -> h.status().running() == 1, () -> String.join("\n", cluster.history()));
            h.cancel(true);
            eventually("the cancelled map's Job deleted", () -> cluster.client().batch().v1().jobs().inNamespace(RBAC_NAMESPACE)
                    .withLabel(IndexedJobFactory.JOB_ID_LABEL, IndexedJobFactory.labelValue(h.jobId())).list().getItems().isEmpty(),
                    () -> "still there");
        }
        Role role = cluster.client().rbac().roles().inNamespace(RBAC_NAMESPACE).withName("jwren-client").get();
        java.util.SortedSet<String> granted = new java.util.TreeSet<>();
        role.getRules().forEach(r -> r.getResources().forEach(res -> r.getVerbs().forEach(v -> granted.add(v + " " + res))));
        java.util.SortedSet<String> used = new java.util.TreeSet<>();
        for (String request : cluster.requestsOf(RBAC_NAMESPACE, "jwren-client")) {
            String[] p = request.split(" ");
            assertTrue(p[2].startsWith("2") || p[2].equals("101"), "nothing was refused: " + cluster.requestsOf(RBAC_NAMESPACE, "jwren-client"));
            used.add(p[0] + " " + p[1]);
        }
        System.err.println("[jwren-test] the Role grants " + granted + "; the audit log shows used " + used);
        assertEquals(granted, used, "every verb of docs/k8s/rbac.yaml is used, and no other");

        Role without = new RoleBuilder(role).build();
        without.getRules().stream().filter(r -> r.getResources().contains("jobs")).forEach(r ->
                r.setVerbs(r.getVerbs().stream().filter(v -> !v.equals("create")).toList()));
        without.getMetadata().setResourceVersion(null);
        cluster.client().rbac().roles().inNamespace(RBAC_NAMESPACE).resource(without).update();
        try {
            eventually("the authorizer to see the narrower Role", () -> !allowed("create", "jobs"), () -> "still allowed");
            try (Executor ex = withRole("rbac-narrow").build()) {
                JWrenException e = assertThrows(JWrenException.class, () -> ex.map(x -> x, List.of(1)));
                System.err.println("[jwren-test] without create on jobs: " + e.getMessage());
                assertTrue(e.getMessage().contains("403") && e.getMessage().contains("docs/k8s/rbac.yaml")
                        && e.getMessage().contains("cannot create resource \"jobs\""), e.getMessage());
            }
        } finally {
            role.getMetadata().setResourceVersion(null);
            cluster.client().rbac().roles().inNamespace(RBAC_NAMESPACE).resource(role).update();
        }
    }

    @Test
    void aNamespaceTheAccountMayNotUseFailsTheMapAtSubmitNamingTheRole() throws Exception {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("locked").endMetadata().build()).create();
        try (Executor ex = withRole("forbidden").property("jwren.k8s.namespace", "locked").build()) {
            JWrenException e = assertThrows(JWrenException.class, () -> ex.map(x -> x, List.of(1)));
            System.err.println("[jwren-test] forbidden: " + e.getMessage());
            assertTrue(e.getMessage().contains("403 Forbidden") && e.getMessage().contains("docs/k8s/rbac.yaml")
                    && e.getMessage().contains("namespace locked"), e.getMessage());
        }
    }

    // ---- an API server from before Kubernetes 1.29, which drops backoffLimitPerIndex ----

    /**
     * A mutating admission policy (CEL, admissionregistration.k8s.io/v1) that removes the fields an API server
     * older than 1.29 does not know from Jobs created in namespaces labelled as such: what such a server does.
     */
    private static final String BEFORE_PER_INDEX_BACKOFF = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingAdmissionPolicy
            metadata:
              name: jwren-test-before-per-index-backoff
            spec:
              failurePolicy: Fail
              reinvocationPolicy: Never
              matchConstraints:
                namespaceSelector:
                  matchLabels:
                    jwren-test/api-server: before-1.29
                resourceRules:
                  - apiGroups: ["batch"]
                    apiVersions: ["v1"]
                    operations: ["CREATE"]
                    resources: ["jobs"]
              mutations:
                - patchType: JSONPatch
                  jsonPatch:
                    expression: >
                      (has(object.spec.backoffLimitPerIndex) ? [JSONPatch{op: "remove", path: "/spec/backoffLimitPerIndex"}] : []) +
                      (has(object.spec.maxFailedIndexes) ? [JSONPatch{op: "remove", path: "/spec/maxFailedIndexes"}] : [])
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingAdmissionPolicyBinding
            metadata:
              name: jwren-test-before-per-index-backoff
            spec:
              policyName: jwren-test-before-per-index-backoff
            """;

    @Test
    void onAServerWithoutPerIndexBackoffTheJobWideLimitStillLetsTheControllerRetry() throws Exception {
        String namespace = "old-server";
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .withLabels(Map.of("jwren-test/api-server", "before-1.29")).endMetadata().build()).create();
        cluster.client().load(new java.io.ByteArrayInputStream(BEFORE_PER_INDEX_BACKOFF.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .create();
        cluster.createSecret(namespace, "jwren-s3", Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
        eventually("the policy in force", () -> {
            // a dry-run create shows what the admission chain makes of a Job, without making one
            Job probe = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder().withNewMetadata().withName("policy-probe")
                    .endMetadata().withNewSpec().withCompletionMode("Indexed").withCompletions(1).withBackoffLimitPerIndex(1)
                    .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage(IMAGE)
                    .endContainer().endSpec().endTemplate().endSpec().build();
            return cluster.client().batch().v1().jobs().inNamespace(namespace).resource(probe).dryRun().create()
                    .getSpec().getBackoffLimitPerIndex() == null;
        }, () -> "the dry run still keeps backoffLimitPerIndex");
        Path marks = Files.createDirectories(scratch.resolve("old-server"));
        try (Executor ex = onCluster(cluster, "old-server").property("jwren.k8s.namespace", namespace).build()) {
            String dir = marks.toString();
            SerializableFunction<Integer, Integer> dieOnce = x -> {
                if (x == 2) {
                    try {
                        Files.createFile(Path.of(dir, "died"));
                        Runtime.getRuntime().halt(1);
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        // the re-run
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return -x;
            };
            MapFuture<Integer> f = ex.map(dieOnce, List.of(0, 1, 2, 3), MapOptions.builder().chunkSize(1).retries(2).build());
            assertEquals(List.of(0, -1, -2, -3), f.get(180, TimeUnit.SECONDS), () -> String.join("\n", cluster.history()));
            List<Job> jobs = jobsSeen(f.jobId());
            assertEquals(1, jobs.size(), "the controller re-ran index 2, no re-run Job: " + cluster.history());
            assertEquals(null, jobs.get(0).getSpec().getBackoffLimitPerIndex(), "the server dropped the field");
            assertEquals(12, jobs.get(0).getSpec().getBackoffLimit());
            // Old servers write no failure count on pods, so the re-run pod reports attempt 0 itself; the engine
            // still counts the re-run it asked for.
            assertEquals(5, f.stats().attempts(), f.stats().toString());
        }
    }
}

package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jwren.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Job a map becomes, as built: what a cluster would be asked to run. */
class IndexedJobFactoryTest {
    private static K8sSettings settings(Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("jwren.k8s.image", "registry.example/jwren-worker:0.1",
                "jwren.storage", "s3://bucket/jwren/", "jwren.s3.region", "eu-west-1", "jwren.workers", "8"));
        m.putAll(extra);
        return K8sSettings.from(Config.resolve(m));
    }

    /** Every S3 setting reaches the pod under the environment name the worker's config chain maps back exactly. */
    @Test
    void theS3SettingsReachThePodAsEnvironmentTheWorkerReadsBack() {
        Job job = IndexedJobFactory.build("8a525199-M001", 1024, 2, 1, 600, settings(Map.of("jwren.s3.part-size", "16777216",
                "jwren.s3.parts-in-flight", "6", "jwren.s3.max-connections", "9", "jwren.s3.max-attempts", "3",
                "jwren.s3.path-style", "true", "jwren.s3.endpoint", "http://minio:9000", "jwren.chunk-size", "5")));
        Map<String, String> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals(Map.of("JWREN_STORAGE", "s3://bucket/jwren/", "JWREN_S3_REGION", "eu-west-1", "JWREN_S3_PART_SIZE", "16777216",
                "JWREN_S3_PARTS_IN_FLIGHT", "6", "JWREN_S3_MAX_CONNECTIONS", "9", "JWREN_S3_MAX_ATTEMPTS", "3",
                "JWREN_S3_PATH_STYLE", "true", "JWREN_S3_ENDPOINT", "http://minio:9000"), env, "client-only settings stay");
        Config onThePod = Config.resolve(Map.of(), new java.util.Properties(), env, java.nio.file.Path.of("none.properties"),
                java.nio.file.Path.of("none-either.properties"));
        assertEquals("16777216", onThePod.get("jwren.s3.part-size"));
        assertEquals("6", onThePod.get("jwren.s3.parts-in-flight"));
        assertEquals("9", onThePod.get("jwren.s3.max-connections"));
        assertEquals("3", onThePod.get("jwren.s3.max-attempts"));
        assertEquals(java.util.List.of(), io.jwren.spi.Settings.unknownKeys(onThePod));
    }

    @Test
    void anIndexedJobWithOnePodPerInvocationRetriedPerIndex() {
        Job job = IndexedJobFactory.build("8a525199-M000", 2048, 25, 2, 720,
                settings(Map.of("jwren.k8s.secret", "jwren-aws", "jwren.k8s.cpu", "500m", "jwren.k8s.labels", "team=sim",
                        "jwren.k8s.namespace", "batch", "jwren.k8s.service-account", "jwren-worker", "jwren.k8s.ttl", "PT30M")));
        assertEquals("jwren-8a525199-m000", job.getMetadata().getName());
        assertEquals("batch", job.getMetadata().getNamespace());
        assertEquals(Map.of("team", "sim", "app.kubernetes.io/managed-by", "jwren", "jwren.io/job-id", "8a525199-M000"),
                job.getMetadata().getLabels());
        var spec = job.getSpec();
        assertEquals("Indexed", spec.getCompletionMode());
        assertEquals(25, spec.getCompletions());
        assertEquals(8, spec.getParallelism());
        assertEquals(2, spec.getBackoffLimitPerIndex());
        assertEquals(25, spec.getMaxFailedIndexes());
        assertEquals(75, spec.getBackoffLimit(), "servers without per-index limits: (retries + 1) x invocations Job-wide");
        assertEquals(1800, spec.getTtlSecondsAfterFinished());
        var pod = spec.getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(720, pod.getActiveDeadlineSeconds());
        assertEquals("jwren-worker", pod.getServiceAccountName());
        assertEquals(job.getMetadata().getLabels(), spec.getTemplate().getMetadata().getLabels());
        Container c = pod.getContainers().get(0);
        assertEquals("registry.example/jwren-worker:0.1", c.getImage());
        assertEquals(java.util.List.of("--job", "8a525199-M000"), c.getArgs());
        assertEquals(Map.of("JWREN_STORAGE", "s3://bucket/jwren/", "JWREN_S3_REGION", "eu-west-1"),
                c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue)));
        EnvVar attempt = c.getEnv().stream().filter(e -> e.getName().equals("JWREN_ATTEMPT")).findFirst().orElseThrow();
        assertEquals("metadata.annotations['batch.kubernetes.io/job-index-failure-count']",
                attempt.getValueFrom().getFieldRef().getFieldPath(), "the attempt is the index's failure count");
        assertEquals("jwren-aws", c.getEnvFrom().get(0).getSecretRef().getName());
        assertEquals("2048Mi", c.getResources().getLimits().get("memory").toString());
        assertEquals("500m", c.getResources().getRequests().get("cpu").toString());
        String yaml = Serialization.asYaml(job);
        assertFalse(yaml.contains("AWS_SECRET") || yaml.contains("aws_secret"), "no credential inline:\n" + yaml);
    }

    @Test
    void theSigningKeyReachesPodsOnlyThroughTheExecutorsSecretNeverInTheJobSpec() {
        String key = java.util.Base64.getEncoder().encodeToString("a signing key set by the user, 32 bytes+".getBytes());
        K8sSettings s = settings(Map.of("jwren.k8s.secret", "jwren-aws", "jwren.signing-key", key))
                .withKeySecret(IndexedJobFactory.keySecretName("8a525199"));
        for (Job job : java.util.List.of(IndexedJobFactory.build("8a525199-M002", 1024, 2, 1, 0, s),
                IndexedJobFactory.rerun("8a525199-M002", 1, 1, 1024, 0, s))) {
            Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals(java.util.List.of("jwren-aws", "jwren-key-8a525199"),
                    c.getEnvFrom().stream().map(e -> e.getSecretRef().getName()).toList());
            String yaml = Serialization.asYaml(job);
            assertFalse(yaml.contains(key.substring(0, 12)) || yaml.contains("SIGNING"), "no key inline:\n" + yaml);
        }
    }

    @Test
    void fewInvocationsCapParallelismAndNoSecretMeansNoEnvFrom() {
        Job job = IndexedJobFactory.build("j", 1024, 3, 0, 0, settings(Map.of()));
        assertEquals(3, job.getSpec().getParallelism());
        assertTrue(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().isEmpty());
        assertNull(job.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertNull(job.getSpec().getTemplate().getSpec().getActiveDeadlineSeconds());
    }

    @Test
    void aRerunIsAOnePodJobForOneInvocationAndAttemptThatTheControllerDoesNotRetry() {
        Job job = IndexedJobFactory.rerun("8a525199-M000", 17, 2, 512, 300, settings(Map.of("jwren.k8s.secret", "jwren-aws")));
        assertEquals("jwren-8a525199-m000-r17-2", job.getMetadata().getName());
        assertNull(job.getSpec().getCompletionMode(), "NonIndexed");
        assertEquals(1, job.getSpec().getCompletions());
        assertEquals(0, job.getSpec().getBackoffLimit());
        Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("8a525199-M000", labels.get(IndexedJobFactory.JOB_ID_LABEL), "listed with the map's pods");
        assertEquals("17", labels.get(IndexedJobFactory.INDEX_LABEL));
        assertEquals("2", labels.get(IndexedJobFactory.ATTEMPT_LABEL));
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(java.util.List.of("--job", "8a525199-M000", "--invocation", "17", "--attempt", "2"), c.getArgs());
        assertEquals("jwren-aws", c.getEnvFrom().get(0).getSecretRef().getName());
        String longName = IndexedJobFactory.rerunJobName("x".repeat(80), 12345, 11);
        assertTrue(longName.length() <= IndexedJobFactory.MAX_NAME && longName.endsWith("-r12345-11"), longName);
    }

    @Test
    void namesFitPodHostnamesAndLabelsFitTheirRules() {
        String name = IndexedJobFactory.jobName("A_Very.Long-Job_ID-" + "x".repeat(80));
        assertTrue(name.length() <= IndexedJobFactory.MAX_NAME, name);
        assertTrue(name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), name);
        String label = IndexedJobFactory.labelValue("-weird value/" + "y".repeat(80) + "-");
        assertTrue(label.length() <= 63 && label.matches("[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?"), label);
    }

    @Test
    void anImageIsRequiredAndLabelsMustBePairs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> K8sSettings.from(Config.resolve(Map.of())));
        assertTrue(e.getMessage().contains("jwren.k8s.image"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("jwren.k8s.labels", "novalue")));
    }
}

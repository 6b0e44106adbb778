package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Jobs a map becomes. Mainly one Indexed {@code batch/v1} Job: completions = invocations, each pod
 * runs the invocation of its {@code JOB_COMPLETION_INDEX}; retries per index ({@code backoffLimitPerIndex},
 * so one bad index does not fail the others); storage settings in the environment, credentials only through
 * the Secret named in the settings and the signing key only through the executor's own Secret ({@code envFrom}). Re-runs the Job controller will not make (a speculative
 * copy, a stuck pod's index) become a one-pod "re-run" Job for that invocation and attempt. Pure: no API
 * calls, so both are unit-tested as built.
 */
final class IndexedJobFactory {
    /** Pod names add "-<index>-<5 chars>" to the Job name, and pod hostnames stop at 63. */
    static final int MAX_NAME = 55;
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String JOB_ID_LABEL = "jwren.io/job-id";
    /** The executor (client) that runs the map: its informers select on it. */
    static final String EXECUTOR_LABEL = "jwren.io/executor";
    /** On re-run Jobs' pods: which invocation and attempt they run (the Indexed Job's pods have annotations). */
    static final String INDEX_LABEL = "jwren.io/invocation";
    static final String ATTEMPT_LABEL = "jwren.io/attempt";
    /** Set by the Job controller on each pod of an Indexed Job. */
    static final String COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
    /** Set by the Job controller when backoffLimitPerIndex is on: failed pods of this index so far. */
    static final String FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-failure-count";

    private IndexedJobFactory() {}

    static final String KEY_SECRET_PREFIX = "jwren-key-";

    /** The Secret holding an executor's signing key: {@code jwren-key-<executor id>}, as a DNS name. */
    static String keySecretName(String executorId) {
        return dnsName(KEY_SECRET_PREFIX + executorId, 63);
    }

    /** {@code jwren-<job id>}, lower-cased, reduced to DNS-1123 characters, at most {@link #MAX_NAME}. */
    static String jobName(String jobId) {
        return dnsName("jwren-" + jobId, MAX_NAME);
    }

    /** {@code <job name>-r<invocation>-<attempt>}, the Job name shortened so the whole fits {@link #MAX_NAME}. */
    static String rerunJobName(String jobId, int invocation, int attempt) {
        String suffix = "-r" + invocation + "-" + attempt;
        return dnsName("jwren-" + jobId, MAX_NAME - suffix.length()) + suffix;
    }

    private static String dnsName(String text, int max) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        if (s.length() > max) s = s.substring(0, max);
        return s.replaceAll("-+$", "");
    }

    /** A label value: up to 63 of [a-zA-Z0-9-_.], starting and ending alphanumeric. */
    static String labelValue(String text) {
        String s = text.replaceAll("[^a-zA-Z0-9._-]+", "-");
        if (s.length() > 63) s = s.substring(0, 63);
        return s.replaceAll("^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$", "");
    }

    /**
     * @param memoryMb            memory request and limit per pod (the map's {@code memoryMb})
     * @param retries             re-runs of a failed index by the Job controller
     * @param podDeadlineSeconds  a pod's {@code activeDeadlineSeconds} (a hung worker is stopped even if the
     *                            client is gone), or 0 for none
     */
    static Job build(String jobId, int memoryMb, int invocations, int retries, long podDeadlineSeconds,
                     K8sSettings settings) {
        Map<String, String> labels = labels(jobId, settings);
        // The attempt a pod runs is its index's failure count, which the controller writes on the pod.
        EnvVar attempt = new EnvVarBuilder().withName("JWREN_ATTEMPT").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['" + FAILURE_COUNT_ANNOTATION + "']").endFieldRef().endValueFrom().build();
        return new JobBuilder()
                .withNewMetadata().withName(jobName(jobId)).withNamespace(settings.namespace()).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(invocations)
                    .withParallelism(Math.min(settings.parallelism(), invocations))
                    .withBackoffLimitPerIndex(retries)
                    .withMaxFailedIndexes(invocations) // a failed index fails its calls, not the whole Job
                    // Servers without per-index limits (before 1.29) drop the two fields above and count
                    // failures Job-wide: this budget lets every index be re-run as often as per index.
                    .withBackoffLimit((int) Math.min(Integer.MAX_VALUE, (long) (retries + 1) * invocations))
                    .withTtlSecondsAfterFinished(ttlSeconds(settings))
                    .withTemplate(podTemplate(labels, List.of("--job", jobId), List.of(attempt), memoryMb,
                            podDeadlineSeconds, settings))
                .endSpec()
                .build();
    }

    /** A one-pod Job that runs one invocation at one attempt; the engine's retries and speculative copies. */
    static Job rerun(String jobId, int invocation, int attempt, int memoryMb, long podDeadlineSeconds, K8sSettings settings) {
        Map<String, String> labels = labels(jobId, settings);
        labels.put(INDEX_LABEL, Integer.toString(invocation));
        labels.put(ATTEMPT_LABEL, Integer.toString(attempt));
        return new JobBuilder()
                .withNewMetadata().withName(rerunJobName(jobId, invocation, attempt)).withNamespace(settings.namespace())
                    .withLabels(labels).endMetadata()
                .withNewSpec()
                    .withCompletions(1)
                    .withParallelism(1)
                    .withBackoffLimit(0) // the engine decides on any further attempt
                    .withTtlSecondsAfterFinished(ttlSeconds(settings))
                    .withTemplate(podTemplate(labels, List.of("--job", jobId, "--invocation", Integer.toString(invocation),
                            "--attempt", Integer.toString(attempt)), List.of(), memoryMb, podDeadlineSeconds, settings))
                .endSpec()
                .build();
    }

    private static Map<String, String> labels(String jobId, K8sSettings settings) {
        Map<String, String> labels = new LinkedHashMap<>(settings.labels());
        labels.put(MANAGED_BY, "jwren");
        labels.put(JOB_ID_LABEL, labelValue(jobId));
        return labels;
    }

    private static int ttlSeconds(K8sSettings settings) {
        return (int) Math.min(Integer.MAX_VALUE, settings.ttl().toSeconds());
    }

    private static PodTemplateSpec podTemplate(Map<String, String> labels, List<String> args, List<EnvVar> extraEnv,
                                               int memoryMb, long podDeadlineSeconds, K8sSettings settings) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("memory", new Quantity(memoryMb + "Mi"));
        if (settings.cpu() != null) limits.put("cpu", new Quantity(settings.cpu()));
        List<EnvVar> env = new ArrayList<>();
        settings.workerEnv().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        env.addAll(extraEnv);
        ContainerBuilder container = new ContainerBuilder()
                .withName("worker")
                .withImage(settings.image())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs(args) // the image's entrypoint runs the worker jar
                .withEnv(env)
                .withResources(new ResourceRequirementsBuilder().withRequests(limits).withLimits(limits).build());
        if (settings.credentialsSecret() != null) {
            container.addToEnvFrom(new EnvFromSourceBuilder().withNewSecretRef().withName(settings.credentialsSecret())
                    .endSecretRef().build());
        }
        if (settings.keySecret() != null) { // JWREN_SIGNING_KEY, which the worker reads as jwren.signing-key
            container.addToEnvFrom(new EnvFromSourceBuilder().withNewSecretRef().withName(settings.keySecret())
                    .endSecretRef().build());
        }
        Container built = container.build();
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never") // required by backoffLimitPerIndex; retries are new pods
                    .withServiceAccountName(settings.serviceAccount())
                    .withActiveDeadlineSeconds(podDeadlineSeconds > 0 ? podDeadlineSeconds : null)
                    .withContainers(built)
                .endSpec()
                .build();
    }
}

package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the one Indexed {@code batch/v1} Job that runs a map: completions = invocations, each pod runs the
 * invocation of its {@code JOB_COMPLETION_INDEX}; retries per index ({@code backoffLimitPerIndex}, so one
 * bad index does not fail the others); storage settings in the environment, credentials only through the
 * Secret named in the settings ({@code envFrom}). Pure: no API calls, so it is unit-tested as built.
 */
final class IndexedJobFactory {
    /** Pod names add "-<index>-<5 chars>" to the Job name, and pod hostnames stop at 63. */
    static final int MAX_NAME = 55;
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String JOB_ID_LABEL = "jwren.io/job-id";

    private IndexedJobFactory() {}

    /** {@code jwren-<job id>}, lower-cased, reduced to DNS-1123 characters, at most {@link #MAX_NAME}. */
    static String jobName(String jobId) {
        String s = ("jwren-" + jobId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        if (s.length() > MAX_NAME) s = s.substring(0, MAX_NAME);
        return s.replaceAll("-+$", "");
    }

    /** A label value: up to 63 of [a-zA-Z0-9-_.], starting and ending alphanumeric. */
    static String labelValue(String text) {
        String s = text.replaceAll("[^a-zA-Z0-9._-]+", "-");
        if (s.length() > 63) s = s.substring(0, 63);
        return s.replaceAll("^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$", "");
    }

    /**
     * @param memoryMb memory request and limit per pod (the map's {@code memoryMb})
     * @param retries  re-runs of a failed index, by the Job controller
     */
    static Job build(String jobId, int memoryMb, int invocations, int retries, K8sSettings settings) {
        Map<String, String> labels = new LinkedHashMap<>(settings.labels());
        labels.put(MANAGED_BY, "jwren");
        labels.put(JOB_ID_LABEL, labelValue(jobId));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("memory", new Quantity(memoryMb + "Mi"));
        if (settings.cpu() != null) limits.put("cpu", new Quantity(settings.cpu()));
        JobBuilder b = new JobBuilder()
                .withNewMetadata().withName(jobName(jobId)).withNamespace(settings.namespace()).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(invocations)
                    .withParallelism(Math.min(settings.parallelism(), invocations))
                    .withBackoffLimitPerIndex(retries)
                    .withMaxFailedIndexes(invocations) // a failed index fails its calls, not the whole Job
                    .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, settings.ttl().toSeconds()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never") // required by backoffLimitPerIndex; retries are new pods
                            .withServiceAccountName(settings.serviceAccount())
                            .addNewContainer()
                                .withName("worker")
                                .withImage(settings.image())
                                .withImagePullPolicy(settings.imagePullPolicy())
                                .withArgs(List.of("--job", jobId)) // the index comes from JOB_COMPLETION_INDEX
                                .withEnv(settings.workerEnv().entrySet().stream()
                                        .map(e -> new io.fabric8.kubernetes.api.model.EnvVar(e.getKey(), e.getValue(), null)).toList())
                                .withResources(new ResourceRequirementsBuilder().withRequests(limits).withLimits(limits).build())
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec();
        Job built = b.build();
        if (settings.credentialsSecret() != null) {
            built.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(
                    new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewSecretRef()
                            .withName(settings.credentialsSecret()).endSecretRef().build()));
        }
        return built;
    }
}

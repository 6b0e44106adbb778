package io.jwren.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

/**
 * {@code jwren.backend=k8s}: runs maps as Kubernetes Jobs in the cluster of the kubeconfig (or in-cluster
 * service account), or of {@code jwren.k8s.kubeconfig}; {@code jwren.k8s.context} and {@code jwren.k8s.master} overriding. Found through ServiceLoader.
 */
public final class K8sBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "k8s";
    }

    @Override
    public Backend create(BackendContext context) {
        K8sSettings settings = K8sSettings.from(context.config())
                .withLabel(IndexedJobFactory.EXECUTOR_LABEL, IndexedJobFactory.labelValue(context.executorId()))
                .withKeySecret(IndexedJobFactory.keySecretName(context.executorId()));
        return new K8sBackend(client(settings), true, settings, context.signingKey());
    }

    static KubernetesClient client(K8sSettings settings) {
        Config config;
        if (settings.kubeconfig() != null) {
            java.io.File file = new java.io.File(settings.kubeconfig());
            if (!file.isFile()) throw new IllegalStateException("jwren.k8s.kubeconfig names no file: " + file.getAbsolutePath());
            config = Config.fromKubeconfig(settings.context(), file);
        } else {
            String missing = noCluster(settings, System.getenv(), System.getProperties(),
                    java.nio.file.Path.of(System.getProperty("user.home", ".")),
                    java.nio.file.Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
            if (missing != null) throw new IllegalStateException(missing);
            config = Config.autoConfigure(settings.context());
        }
        if (settings.master() != null) config = new ConfigBuilder(config).withMasterUrl(settings.master()).build();
        if (settings.requestTimeout() != null) {
            config = new ConfigBuilder(config).withRequestTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis())).build();
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Why there is no cluster to talk to, or null when there is one: a kubeconfig where fabric8 looks
     * ({@code -Dkubeconfig}, {@code KUBECONFIG}, {@code ~/.kube/config}), an in-cluster service account, or a master
     * URL ({@code jwren.k8s.master}, {@code KUBERNETES_MASTER}). Without this the first API call fails with a
     * connection error to a default address that says nothing about configuration.
     */
    static String noCluster(K8sSettings settings, java.util.Map<String, String> env, java.util.Properties system,
                            java.nio.file.Path home, java.nio.file.Path serviceAccountToken) {
        if (settings.master() != null || system.getProperty("kubernetes.master") != null || env.get("KUBERNETES_MASTER") != null)
            return null;
        java.util.List<String> configs = new java.util.ArrayList<>();
        if (system.getProperty("kubeconfig") != null) configs.add(system.getProperty("kubeconfig"));
        if (env.get("KUBECONFIG") != null) configs.addAll(java.util.List.of(env.get("KUBECONFIG").split(java.io.File.pathSeparator)));
        configs.add(home.resolve(".kube").resolve("config").toString());
        for (String c : configs) if (!c.isBlank() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(c))) return null;
        if (env.get("KUBERNETES_SERVICE_HOST") != null && java.nio.file.Files.isRegularFile(serviceAccountToken)) return null;
        return "no Kubernetes cluster to run on: no kubeconfig (looked at " + String.join(", ", configs)
                + "), not in a pod with a service account, and no jwren.k8s.master. Point KUBECONFIG at your cluster's "
                + "kubeconfig (kubectl config view shows the current one), or set jwren.k8s.master to the API server's URL"
                + " (and jwren.k8s.context to pick a context).";
    }
}

package io.jwren.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;

/**
 * {@code jwren.backend=k8s}: runs maps as Kubernetes Jobs in the cluster of the kubeconfig (or in-cluster
 * service account), {@code jwren.k8s.context} and {@code jwren.k8s.master} overriding. Found through ServiceLoader.
 */
public final class K8sBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "k8s";
    }

    @Override
    public Backend create(BackendContext context) {
        K8sSettings settings = K8sSettings.from(context.config())
                .withLabel(IndexedJobFactory.EXECUTOR_LABEL, IndexedJobFactory.labelValue(context.executorId()));
        return new K8sBackend(client(settings), true, settings);
    }

    static KubernetesClient client(K8sSettings settings) {
        Config config = Config.autoConfigure(settings.context());
        if (settings.master() != null) config = new ConfigBuilder(config).withMasterUrl(settings.master()).build();
        if (settings.requestTimeout() != null) {
            config = new ConfigBuilder(config).withRequestTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis())).build();
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}

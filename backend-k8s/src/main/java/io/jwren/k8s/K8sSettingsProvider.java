package io.jwren.k8s;

import io.jwren.spi.Setting;
import io.jwren.spi.Setting.Kind;
import io.jwren.spi.SettingsProvider;

import java.util.List;

/** The jwren.k8s.* settings: the cluster, the worker image and the shape of each Job. */
public final class K8sSettingsProvider implements SettingsProvider {
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("jwren.k8s.image", Kind.TEXT, null, "the worker image, whose entrypoint runs the worker jar (required)"),
                Setting.of("jwren.k8s.namespace", Kind.TEXT, null, "where Jobs are created (default: the kubeconfig's)"),
                Setting.of("jwren.k8s.image-pull-policy", Kind.TEXT, "IfNotPresent", "the pods' image pull policy"),
                Setting.of("jwren.k8s.parallelism", Kind.NUMBER, null, "pods of one Job running at once (default: jwren.workers)"),
                Setting.of("jwren.k8s.service-account", Kind.TEXT, null, "the pods' service account"),
                Setting.of("jwren.k8s.secret", Kind.TEXT, null, "a Secret whose keys become the pods' environment (credentials)"),
                Setting.of("jwren.k8s.cpu", Kind.TEXT, null, "cpu request and limit per pod, e.g. 1 or 500m"),
                Setting.of("jwren.k8s.ttl", Kind.DURATION, "PT1H", "how long a finished Job stays for inspection"),
                Setting.of("jwren.k8s.labels", Kind.TEXT, null, "extra labels on Jobs and pods: team=x,env=dev"),
                Setting.of("jwren.k8s.master", Kind.URI, null, "the API server, overriding the kubeconfig"),
                Setting.of("jwren.k8s.context", Kind.TEXT, null, "the kubeconfig context (default: the current one)"),
                Setting.of("jwren.k8s.kubeconfig", Kind.TEXT, null, "a kubeconfig file (default: KUBECONFIG, then ~/.kube/config)"),
                Setting.of("jwren.k8s.start-timeout", Kind.DURATION, "PT10M",
                        "how long a pod may wait to start before its invocation counts as lost"),
                Setting.of("jwren.k8s.java", Kind.NUMBER, "17", "the Java feature version in the worker image"),
                Setting.of("jwren.k8s.log-lines", Kind.NUMBER, "30", "lines of a failed pod's log quoted in its calls' error"),
                Setting.of("jwren.k8s.request-timeout", Kind.DURATION, null, "how long one API request may take (default: fabric8's)"),
                Setting.of("jwren.k8s.key-sweep-age", Kind.DURATION, "PT1H", "how old another executor's key Secret must "
                        + "be, none of its Jobs or pods left, before this executor deletes it (its executor died)"));
    }
}

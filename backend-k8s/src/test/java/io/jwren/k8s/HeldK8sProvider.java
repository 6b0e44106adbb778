package io.jwren.k8s;

import io.jwren.testing.RememberingProvider;

/** Test backend "k8s-held": the k8s backend, remembered so a test can ask what it still watches. */
public final class HeldK8sProvider extends RememberingProvider {
    public HeldK8sProvider() {
        super("k8s-held", new K8sBackendProvider());
    }
}

package io.jwren.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jwren.JWrenException;

/** Says what a refusal of the Kubernetes API means for a jwren user, and what to do about it. */
final class K8sErrors {
    static final String ROLE = "the Role in docs/k8s/rbac.yaml (jobs: create, list, watch, delete; "
            + "pods: list, watch; pods/log: get; secrets: create, get, list, delete)";

    private K8sErrors() {}

    static JWrenException explain(String action, String namespace, KubernetesClientException e) {
        String server = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String message = switch (e.getCode()) {
            case 401 -> "the Kubernetes API did not accept the client's credentials when asked to " + action
                    + " in namespace " + namespace + " (401 Unauthorized): check the kubeconfig context (jwren.k8s.context)";
            case 403 -> "the Kubernetes API refused to " + action + " in namespace " + namespace + " (403 Forbidden: " + server
                    + "). The account jwren runs as needs " + ROLE + " bound in that namespace";
            case 404 -> "cannot " + action + ": namespace " + namespace + " was not found (404: " + server
                    + "); set jwren.k8s.namespace to an existing namespace";
            case 409 -> "cannot " + action + " in namespace " + namespace + ": it already exists (409: " + server + ")";
            case 422 -> "the Kubernetes API found the Job invalid when asked to " + action + " (422: " + server + ")";
            default -> e.getCode() > 0
                    ? "the Kubernetes API failed to " + action + " in namespace " + namespace + " (HTTP " + e.getCode() + ": " + server + ")"
                    : "cannot reach the Kubernetes API to " + action + ": " + e.getMessage()
                      + (e.getCause() != null ? " (" + e.getCause() + ")" : "") + "; check jwren.k8s.master or the kubeconfig";
        };
        return new JWrenException(message, e);
    }
}

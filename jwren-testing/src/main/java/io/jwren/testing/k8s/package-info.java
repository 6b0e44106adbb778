/**
 * A real Kubernetes control plane for tests on this machine ({@link io.jwren.testing.k8s.KubeApiServer}): etcd,
 * kube-apiserver and kube-controller-manager built from the Go module proxy into the test cache, and a test
 * kubelet, the one node, that runs pods as local processes because no container runtime is here. For jwren's
 * own tests; not a stable API.
 */
package io.jwren.testing.k8s;

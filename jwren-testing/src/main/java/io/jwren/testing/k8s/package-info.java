/**
 * A Kubernetes cluster for tests on this machine ({@link io.jwren.testing.k8s.LocalCluster}): the fabric8 mock
 * API server, plus stand-ins for the parts of a cluster it lacks: a Job controller, a kubelet that runs pods as
 * local processes, and the garbage collector. For jwren's own tests; not a stable API.
 */
package io.jwren.testing.k8s;

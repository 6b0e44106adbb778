/**
 * The {@code k8s} backend: each map becomes one Indexed Kubernetes Job whose pods run the worker image, one
 * invocation per completion index, with one-pod re-run Jobs for the re-runs the Job controller does not make.
 * Pods and Jobs are watched through the fabric8 client and reported to the engine; the {@code jwren.k8s.*}
 * settings name the cluster, the image and the shape of each Job. Internal: choose it with
 * {@code jwren.backend}; the classes are not a stable API.
 */
package io.jwren.k8s;

/**
 * The {@code lambda} backend: each invocation is an asynchronous ({@code Event}) invoke of the deployed worker
 * function, with bounded concurrency and backoff on throttling, configured by the {@code jwren.lambda.*}
 * settings. Also deploys that function from the worker jar ({@link io.jwren.lambda.DeployMain},
 * {@code jwren deploy lambda}) and prints the IAM policies it needs. Internal: choose the backend with
 * {@code jwren.backend}; the classes are public for ServiceLoader, the CLI and the examples, and are not a
 * stable API.
 */
package io.jwren.lambda;

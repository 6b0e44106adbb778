/**
 * The worker entry points that deployments name: {@link io.jwren.worker.LambdaHandler} for AWS Lambda and
 * {@link io.jwren.worker.WorkerMain}, the main class of {@code jwren-worker.jar} for containers and the command
 * line. Their names, arguments and payload (docs/PROTOCOL.md) stay stable because functions and images refer to
 * them; the work itself is done by the engine's {@code io.jwren.engine.worker}.
 */
package io.jwren.worker;

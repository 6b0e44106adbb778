/**
 * The worker side, the same on every backend that goes through storage:
 * {@link io.jwren.engine.worker.InvocationRunner} reads a job's manifest, function and its invocation's inputs,
 * runs the calls and writes one result object, with the tail of what they printed; big values become objects of
 * their own. {@link io.jwren.engine.worker.WorkerMain} is the worker JVM's entry point. Internal: the stable entry
 * point names are in {@code io.jwren.worker} (worker-runtime).
 */
package io.jwren.engine.worker;

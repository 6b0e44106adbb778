package io.jwren.local;

import io.jwren.engine.closure.RuntimeClasspath;

/**
 * The class path of a worker JVM: the worker runtime and its libraries, found from where this JVM
 * loaded them, and nothing of the user's. User classes reach workers only as shipped bundles, exactly
 * as on a cloud worker.
 */
final class WorkerClasspath {
    private WorkerClasspath() {}

    static String compute() {
        return RuntimeClasspath.forWorkerJvm();
    }
}

package io.jwren.examples;

import io.jwren.Executor;
import picocli.CommandLine.Option;

/** The --backend and --storage options every example takes, and the executor they describe. */
final class ExecutorOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "jwren backend: threads, processes, lambda, k8s (default: jwren.backend from the config chain).")
    String backend;

    @Option(names = "--storage", paramLabel = "URI",
            description = "jwren storage, e.g. file:///tmp/jwren or s3://bucket/prefix (default: jwren.storage from the config chain).")
    String storage;

    /** An executor from the config chain, with these options over it. */
    Executor build() {
        Executor.Builder builder = Executor.builder();
        if (backend != null) builder.backend(backend);
        if (storage != null) builder.storage(storage);
        return builder.build();
    }
}

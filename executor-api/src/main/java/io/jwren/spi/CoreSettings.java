package io.jwren.spi;

import io.jwren.spi.Setting.Kind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The settings the API itself reads or promises: which backend and storage, and the defaults of every map. */
final class CoreSettings {
    private CoreSettings() {}

    static List<Setting> settings() {
        return List.of(
                Setting.of("jwren.backend", Kind.TEXT, "threads", "where calls run: threads, processes, lambda or k8s"),
                Setting.of("jwren.storage", Kind.URI, defaultStorageUri(),
                        "where jobs are staged: file:///dir or s3://bucket/prefix").forwardedToWorkers(),
                Setting.of("jwren.workers", Kind.NUMBER, Integer.toString(Runtime.getRuntime().availableProcessors()),
                        "worker threads, worker JVMs, or invocations in flight at once (default: this machine's cores)"),
                Setting.of("jwren.chunk-size", Kind.NUMBER, "0", "calls per invocation; 0 picks one from the inputs and workers"),
                Setting.of("jwren.timeout", Kind.DURATION, "PT10M", "longest one call may run; an invocation of n calls gets n times this, plus a grace"),
                Setting.of("jwren.retries", Kind.NUMBER, "2", "how often a lost or timed-out invocation is run again"),
                Setting.of("jwren.memory", Kind.NUMBER, "1024", "memory per worker in MiB"),
                Setting.of("jwren.speculation", Kind.BOOLEAN, "false",
                        "run a second copy of a straggling invocation once most have finished"),
                Setting.of("jwren.speculation.quantile", Kind.DECIMAL, "0.75",
                        "speculation starts once this share of invocations has finished"),
                Setting.of("jwren.speculation.multiplier", Kind.DECIMAL, "1.5",
                        "an invocation straggles when it runs this many times the median runtime"),
                Setting.of("jwren.speculation.min-runtime", Kind.DURATION, "PT1S",
                        "no copy of an invocation that has run less than this"));
    }

    private static String defaultStorageUri() {
        String home = System.getProperty("user.home");
        Path dir = home != null && Files.isWritable(Path.of(home))
                ? Path.of(home, ".jwren", "storage")
                : Path.of(System.getProperty("java.io.tmpdir"), "jwren-" + System.getProperty("user.name", "user"));
        return dir.toAbsolutePath().toUri().toString();
    }
}

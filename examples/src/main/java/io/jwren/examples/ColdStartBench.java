package io.jwren.examples;

import io.jwren.Config;
import io.jwren.engine.JobStaging;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.local.ProcessesSettings;
import io.jwren.local.WorkerClassArchive;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Worker cold start: a new JVM running the worker jar on one trivial call ({@code java -jar jwren-worker.jar --job ID
 * --invocation N}, a call of {@link TrivialCalls#identity()} staged in a local directory), timed from starting the
 * process to its exit, so the time to its first result and a little more. Runs with and without the class archive
 * alternate (which goes first alternates too), with the JVM options processes workers get; each run has a new bundle
 * cache, so every run fetches the shipped classes as a new worker does. The archive is built first, in a directory
 * of this run, exactly as the processes backend builds its own.
 */
final class ColdStartBench {
    private final int pairs;
    private final Path workerJar;

    ColdStartBench(boolean quick, Path workerJar) {
        this.pairs = quick ? 3 : 11;
        this.workerJar = workerJar;
    }

    /** Where the worker jar is looked for when {@code --worker-jar} is not given, in order. */
    static List<Path> workerJarCandidates() {
        List<Path> candidates = new ArrayList<>();
        String self = ColdStartBench.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        Path dir = Path.of(self).toAbsolutePath().getParent();
        if (dir != null) candidates.add(dir.resolve("jwren-worker.jar"));
        for (String up : List.of("", "..")) candidates.add(Path.of(up, "worker-runtime", "target", "jwren-worker.jar").toAbsolutePath().normalize());
        return candidates;
    }

    void run(MetricPrinter metrics, PrintWriter log) throws Exception {
        Path work = Files.createTempDirectory("jwren-cold-start-");
        try {
            measure(metrics, log, work);
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private void measure(MetricPrinter metrics, PrintWriter log, Path work) throws Exception {
        Config config = Config.resolve(Map.of());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = ProcessesSettings.workerJvmOptions(config);
        String jar = workerJar.toAbsolutePath().normalize().toString();

        long start = System.nanoTime();
        WorkerClassArchive archive = WorkerClassArchive.of(java, jvm, jar, work.resolve("archives"));
        Optional<Path> built = archive.build();
        double buildMs = Samples.millisSince(start);
        if (built.isEmpty()) throw new IllegalStateException("no class archive for " + jar + ": " + archive.problem());
        log.printf("# cold start: class archive of %s built in %.0f ms (%d KiB), worker JVM options %s%n", jar, buildMs,
                Files.size(built.get()) / 1024, jvm);
        log.flush();
        metrics.print("worker_class_archive_build_ms", buildMs, "ms");

        String uri = Files.createDirectories(work.resolve("storage")).toUri().toString();
        ObjectSigner signer = ObjectSigner.random();
        List<Integer> inputs = IntStream.range(0, 2 * pairs).boxed().toList();
        String jobId;
        String signedJobId;
        try (Storage storage = Providers.storage(uri, config)) {
            jobId = JobStaging.stage(storage, TrivialCalls.identity(), inputs, 1, true);
            signedJobId = JobStaging.stage(storage, TrivialCalls.identity(), inputs, 1, true, signer);
        }
        Samples with = new Samples(pairs);
        Samples without = new Samples(pairs);
        Samples signed = new Samples(pairs);
        double loadBefore = loadAverage();
        // which variant goes first rotates, so none always runs right after another's JVM exits
        for (int i = 0; i < pairs; i++) {
            for (int k = 0; k < 3; k++) {
                switch ((i + k) % 3) {
                    case 0 -> without.add(runWorker(java, List.of(), jvm, jar, uri, jobId, i, null, work));
                    case 1 -> with.add(runWorker(java, archive.options(), jvm, jar, uri, jobId, pairs + i, null, work));
                    default -> signed.add(runWorker(java, archive.options(), jvm, jar, uri, signedJobId, i, signer, work));
                }
            }
        }
        try (Storage storage = Providers.storage(uri, config)) {
            for (int n = 0; n < 2 * pairs; n++) checkResult(storage, jobId, n, null);
            for (int n = 0; n < pairs; n++) checkResult(storage, signedJobId, n, signer);
        }
        log.printf("# cold start: one trivial call per worker JVM, process start to exit, ms: with the archive %s, "
                + "without %s; a signed job (the executor's default), with the archive %s; load average %.2f before, "
                + "%.2f after%n", with, without, signed, loadBefore, loadAverage());
        log.flush();
        metrics.print("worker_cold_start_no_archive_ms", without.median(), "ms");
        metrics.print("worker_cold_start_ms", with.median(), "ms");
        metrics.print("worker_cold_start_signed_ms", signed.median(), "ms");
    }

    /** Milliseconds from starting a worker JVM on invocation {@code n} to its exit. */
    private static double runWorker(String java, List<String> archive, List<String> jvm, String jar, String storage,
                                    String jobId, int n, ObjectSigner signer, Path work) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(archive);
        cmd.addAll(jvm);
        cmd.add("-Djwren.storage=" + storage);
        cmd.add("-Djwren.worker.cache=" + work.resolve("bundles-" + n));
        cmd.addAll(List.of("-jar", jar, "--job", jobId, "--invocation", Integer.toString(n)));
        Path logFile = work.resolve("worker-" + n + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        // the key as a Kubernetes worker gets it, from its executor's Secret; never on the command line
        if (signer != null) pb.environment().put("JWREN_SIGNING_KEY", signer.keyBase64());
        else pb.environment().remove("JWREN_SIGNING_KEY");
        long start = System.nanoTime();
        Process p = pb.start();
        boolean exited = p.waitFor(2, TimeUnit.MINUTES);
        double ms = Samples.millisSince(start);
        if (!exited) {
            p.destroyForcibly();
            throw new IllegalStateException("worker JVM on invocation " + n + " did not finish in 2 minutes: " + cmd);
        }
        if (p.exitValue() != 0)
            throw new IllegalStateException("worker JVM on invocation " + n + " exited with " + p.exitValue() + ": "
                    + Files.readString(logFile, StandardCharsets.UTF_8));
        return ms;
    }

    private static void checkResult(Storage storage, String jobId, int n, ObjectSigner signer) {
        String key = JobKeys.result(jobId, n);
        List<CallOutcome> calls = ResultCodec.decode(key, storage.get(key), signer).calls();
        if (calls.size() != 1 || !calls.get(0).ok() || calls.get(0).index() != n)
            throw new IllegalStateException("invocation " + n + " of the cold-start job did not run its call: " + calls);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

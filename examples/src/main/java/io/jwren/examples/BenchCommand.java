package io.jwren.examples;

import io.jwren.lambda.InvokeRateBench;
import io.jwren.testing.lambda.LoopbackInvokeSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code bench}: jwren's own overheads, printed as {@code metric <name> <value> <unit>} lines on
 * standard output; notes on what was run go to standard error.
 */
@Command(name = "bench",
        description = "Measure jwren's overheads; prints 'metric <name> <value> <unit>' lines.",
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {

    /** The figures the bench can take, in the order they run. */
    enum Figure {
        /** Closure packaging: runs first, so its "first call" is the first packaging in this JVM. */
        CLOSURE,
        THREADS,
        PROCESSES,
        /** Staging, worker input reads and results at chunk 1000, with and without the signing key. */
        SIGNING,
        /** Through S3Proxy started in this JVM: calls/s, requests per call, input upload against a raw PUT. */
        S3,
        /**
         * Event invokes/s one client issues through the lambda backend against a loopback sink answering 202; and the
         * storage requests and invokes of one warm submit, the sink running the worker's handler in this JVM.
         */
        LAMBDA,
        /** A new worker JVM (the worker jar) on one trivial call, with and without the class archive, alternating. */
        COLDSTART
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A short run (fewer repetitions, ~0.3 s per processes figure) "
            + "for smoke tests; figures are noisier.")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "FIGURE",
            description = "Take only these figures: ${COMPLETION-CANDIDATES} (default: all).")
    Set<Figure> only;

    @Option(names = "--storage", paramLabel = "URI",
            description = "Storage for the processes figures (default: a temporary directory, removed afterwards).")
    String storage;

    @Option(names = "--worker-jar", paramLabel = "PATH",
            description = "The worker jar for the cold-start figure (default: jwren-worker.jar beside this program, "
                    + "else worker-runtime/target/jwren-worker.jar in this directory or its parent).")
    Path workerJar;

    @Option(names = "--peers", arity = "0..1", fallbackValue = "dask,ray,lithops", paramLabel = "PEER[,PEER...]",
            description = "Instead of jwren's own figures, run the same five workloads on jwren (processes, 2 worker "
                    + "JVMs) and on these peers (default: dask,ray,lithops), each installed from PyPI at pinned versions "
                    + "into the test cache, alternating in one run; prints peer_* and vs_*_ratio figures.")
    String peers;

    @Override
    public Integer call() throws Exception {
        if (peers != null) return runPeers();
        Set<Figure> figures = only == null || only.isEmpty() ? EnumSet.allOf(Figure.class) : EnumSet.copyOf(only);
        MetricPrinter metrics = new MetricPrinter(spec.commandLine().getOut());
        PrintWriter log = spec.commandLine().getErr();
        log.printf("# jwren bench%s: %d cores, Java %s%n", quick ? " --quick" : "",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        log.flush();
        for (Figure figure : figures) {
            switch (figure) {
                case CLOSURE -> new ClosurePackagingBench(quick).run(metrics, log);
                case THREADS -> new ThreadsOverheadBench(quick).run(metrics, log);
                case PROCESSES -> runProcesses(metrics, log);
                case SIGNING -> withStorage(uri -> new SigningCostBench(quick).run(metrics, uri, log));
                case S3 -> new S3Bench(quick).run(metrics, log);
                case LAMBDA -> lambda(metrics, log);
                case COLDSTART -> coldStart(metrics, log);
            }
        }
        return 0;
    }

    /**
     * The Invoke rate: nothing runs behind the sink, so this is the client's ceiling, not Lambda's. Then one warm
     * submit's storage requests, client and worker apart (LambdaSubmitBench).
     */
    private void lambda(MetricPrinter metrics, PrintWriter log) throws Exception {
        int invokes = quick ? 3_000 : 20_000;
        int inFlight = 64;
        InvokeRateBench.Result r;
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.accepting()) {
            r = InvokeRateBench.run(sink.endpoint(), quick ? 500 : 2_000, invokes, inFlight);
        }
        log.printf("# lambda: %d Event invokes, %d in flight, against a loopback sink answering 202%n", invokes, inFlight);
        metrics.print("lambda_event_invokes_per_s", r.perSecond(), "invokes/s");
        new LambdaSubmitBench().run(metrics, log);
    }

    private void coldStart(MetricPrinter metrics, PrintWriter log) throws Exception {
        Path jar = workerJar;
        if (jar == null) {
            List<Path> candidates = ColdStartBench.workerJarCandidates();
            jar = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
            if (jar == null) {
                log.printf("# cold start: skipped, no worker jar in %s; build it (mvn package) or give --worker-jar%n", candidates);
                log.flush();
                return;
            }
        }
        new ColdStartBench(quick, jar).run(metrics, log);
    }

    private int runPeers() throws Exception {
        List<String> names = Arrays.stream(peers.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        for (String n : names) {
            if (!PeerBench.ALL_PEERS.contains(n))
                throw new ParameterException(spec.commandLine(), "--peers takes " + PeerBench.ALL_PEERS + ", not '" + n + "'");
        }
        MetricPrinter metrics = new MetricPrinter(spec.commandLine().getOut());
        PrintWriter log = spec.commandLine().getErr();
        log.printf("# jwren bench --peers %s%s: %d cores, Java %s%n", String.join(",", names), quick ? " --quick" : "",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        log.flush();
        PeerBench bench = new PeerBench(quick, names);
        withStorage(uri -> bench.run(metrics, uri, log));
        return 0;
    }

    /** What runs on the bench's storage: {@code --storage}, else a temporary directory removed afterwards. */
    private interface StorageUse {
        void run(String storageUri) throws Exception;
    }

    private void withStorage(StorageUse use) throws Exception {
        if (storage != null) {
            use.run(storage);
            return;
        }
        try (TempStorage temp = new TempStorage("jwren-bench-")) {
            use.run(temp.uri());
        }
    }

    private void runProcesses(MetricPrinter metrics, PrintWriter log) throws Exception {
        ProcessesThroughputBench bench = new ProcessesThroughputBench(quick);
        withStorage(uri -> bench.run(metrics, uri, log));
    }
}

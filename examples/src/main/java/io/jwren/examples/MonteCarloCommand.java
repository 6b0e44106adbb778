package io.jwren.examples;

import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** {@code montecarlo}: estimates π by counting random points in the unit quarter-circle, one map call per slice. */
@Command(name = "montecarlo",
        description = "Estimate pi from random points, split over --workers map calls.",
        mixinStandardHelpOptions = true)
final class MonteCarloCommand implements Callable<Integer> {
    static final long DEFAULT_SEED = 42;

    @Spec
    CommandSpec spec;

    @Mixin
    ExecutorOptions executorOptions;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "100000000",
            description = "Points to draw in all (default: ${DEFAULT-VALUE}).")
    long trials;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "10",
            description = "Map calls to split the trials over (default: ${DEFAULT-VALUE}). "
                    + "How many run at once is jwren.workers.")
    int workers;


    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DEFAULT_SEED,
            description = "Seed of every slice's generator; the same seed gives the same points on any backend "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;


    @Option(names = "--plot", paramLabel = "PNG",
            description = "Also write a timeline of the calls to this PNG file and print the job's stats to stderr.")
    Path plot;

    @Override
    public Integer call() throws Exception {
        validate();
        try (Executor executor = executorOptions.build()) {
            PiEstimate estimate = estimate(executor);
            table(estimate, executor).print(spec.commandLine().getOut());
        }
        return 0;
    }

    private void validate() {
        if (trials < 1) throw usage("--trials must be at least 1, was " + trials);
        if (workers < 1) throw usage("--workers must be at least 1, was " + workers);
        if (executorOptions.backend != null && executorOptions.backend.isBlank()) throw usage("--backend must name a backend");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PiEstimate estimate(Executor executor) throws Exception {
        List<Integer> slices = IntStream.range(0, workers).boxed().toList();
        long start = System.nanoTime();
        MapFuture<Long> counts = executor.map(PiSampler.sliceCounter(seed, trials, workers), slices);
        long inside = 0;
        for (long c : counts.get()) inside += c;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (plot != null) {
            JobStats stats = counts.stats();
            PrintWriter err = spec.commandLine().getErr();
            err.println(stats);
            err.println("timeline: " + stats.plotTimeline(plot).toAbsolutePath());
            err.flush();
        }
        return new PiEstimate(trials, workers, seed, inside, elapsed);
    }

    private static KeyValueTable table(PiEstimate e, Executor executor) {
        return new KeyValueTable()
                .row("trials", e.trials())
                .row("workers", e.slices())
                .row("seed", e.seed())
                .row("points", e.inside())
                .row("pi", String.format(Locale.ROOT, "%.8f", Math.PI))
                .row("result", String.format(Locale.ROOT, "%.8f", e.pi()))
                .row("error", String.format(Locale.ROOT, "%.8f", e.error()))
                .row("time", String.format(Locale.ROOT, "%.3f s", e.elapsed().toNanos() / 1e9))
                .row("backend", executor.config().get("jwren.backend"))
                .row("concurrency", executor.config().get("jwren.workers"));
    }
}

package io.jwren.examples;

import io.jwren.Executor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code matvec}: PyWren's first demo. Call i multiplies a size×size random normal matrix of scale b_i by
 * a vector, b over linspace(0.1, 100, calls); prints the aggregate GFLOP/s of the multiplications.
 */
@Command(name = "matvec",
        description = "PyWren's matvec demo: --calls random normal matrices of scale linspace(0.1, 100) times a vector.",
        mixinStandardHelpOptions = true)
final class MatvecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExecutorOptions executorOptions;

    @Option(names = "--calls", paramLabel = "N", defaultValue = "1000", description = "Map calls (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--size", paramLabel = "N", defaultValue = "1024", description = "Matrix size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the matrices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (calls < 2) throw new ParameterException(spec.commandLine(), "--calls must be at least 2, was " + calls);
        if (size < 1 || (long) size * size > Integer.MAX_VALUE)
            throw new ParameterException(spec.commandLine(), "--size must be between 1 and 46340, was " + size);
        try (Executor executor = executorOptions.build()) {
            List<Double> scales = MatvecKernel.scales(calls);
            long start = System.nanoTime();
            List<MatvecKernel.Product> products = executor.map(MatvecKernel.multiply(size, seed), scales).get();
            double wallSeconds = (System.nanoTime() - start) / 1e9;

            double flops = 2.0 * size * size * calls;
            long multiplyNanos = products.stream().mapToLong(MatvecKernel.Product::multiplyNanos).sum();
            // ||A·1|| / (b·n) is about 1 for normal entries: each row sum has standard deviation b·sqrt(n).
            double check = products.stream().mapToDouble(p -> p.norm() / (p.scale() * size)).average().orElse(Double.NaN);
            new KeyValueTable()
                    .row("calls", calls)
                    .row("size", size + "x" + size)
                    .row("scale", String.format(Locale.ROOT, "linspace(%.1f, %.1f)", scales.get(0), scales.get(calls - 1)))
                    .row("gflop", String.format(Locale.ROOT, "%.3f", flops / 1e9))
                    .row("time", String.format(Locale.ROOT, "%.3f s", wallSeconds))
                    .row("gflops", String.format(Locale.ROOT, "%.3f GFLOP/s aggregate (wall clock, matrix generation included)", flops / 1e9 / wallSeconds))
                    .row("kernel", String.format(Locale.ROOT, "%.3f GFLOP/s per call while multiplying", flops / 1e9 / (multiplyNanos / 1e9)))
                    .row("check", String.format(Locale.ROOT, "%.4f (mean of |A·1| / (b·n), about 1)", check))
                    .row("backend", executor.config().get("jwren.backend"))
                    .print(spec.commandLine().getOut());
        }
        return 0;
    }
}

package io.jwren.examples;

import io.jwren.Executor;
import io.jwren.MapOptions;
import io.jwren.SerializableFunction;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Figure (b): trivial calls per second through the processes backend (worker JVMs reading jobs from
 * and writing results to storage) at chunk sizes 1, 100 and 1000, and the round trip of one {@code submit}.
 * Per-call cost here is the protocol's: staging, a command to the worker, storage reads and a result write
 * per invocation (a small job travels to the worker on its stdin, and a small result comes back on its stdout).
 */
final class ProcessesThroughputBench {
    static final int[] CHUNK_SIZES = {1, 100, 1000};
    /** Keeps a very fast backend from building input lists that crowd the heap. */
    private static final int MAX_CALLS = 5_000_000;

    private final double targetSeconds;
    private final int runs;
    private final String name;
    private final int[] chunkSizes;
    private final int roundTrips;

    ProcessesThroughputBench(boolean quick) {
        this(quick, "processes", quick ? 200 : 2_000, CHUNK_SIZES);
    }

    /**
     * @param name       prefix of the metric names, telling the storage apart
     * @param roundTrips submit round trips per run, or 0 for none
     */
    ProcessesThroughputBench(boolean quick, String name, int roundTrips, int... chunkSizes) {
        this.targetSeconds = quick ? 0.3 : 1.5;
        this.runs = quick ? 1 : 3;
        this.name = name;
        this.roundTrips = roundTrips;
        this.chunkSizes = chunkSizes;
    }

    void run(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        try (Executor executor = Executor.builder().backend("processes").storage(storageUri).build()) {
            run(metrics, executor, log);
        }
    }

    /** Takes the figures on {@code executor}, which must use the processes backend. */
    void run(MetricPrinter metrics, Executor executor, PrintWriter log) throws Exception {
        SerializableFunction<Integer, Integer> fn = TrivialCalls.identity();
        int workers = executor.config().getInt("jwren.workers", Runtime.getRuntime().availableProcessors());
        // The pool starts its JVMs on the first map; keep that start-up out of every figure.
        long start = System.nanoTime();
        timeMap(executor, fn, 4 * workers, 1);
        log.printf("# %s: %d worker JVMs warm after %.0f ms (storage %s)%n", name, workers,
                Samples.millisSince(start), executor.config().get("jwren.storage"));
        log.flush();
        warmUp(executor, fn, log);
        for (int chunk : chunkSizes) {
            int calls = calibrate(executor, fn, chunk, Math.max(40, 4 * workers * chunk));
            Samples rates = new Samples(runs);
            for (int i = 0; i < runs; i++) rates.add(calls / (timeMap(executor, fn, calls, chunk) / 1000));
            log.printf("# %s chunk %d: %d calls per run, calls/s %s%n", name, chunk, calls, rates);
            log.flush();
            metrics.print(name + "_chunk" + chunk + "_calls_per_s", rates.median(), "calls/s");
        }
        if (roundTrips > 0) {
            submitRoundTrips(executor, roundTrips / 4); // warm this path
            Samples p50 = new Samples(runs);
            Samples p99 = new Samples(runs);
            for (int i = 0; i < runs; i++) {
                double[] ms = submitRoundTrips(executor, roundTrips);
                p50.add(PeerBench.percentile(ms, 0.50));
                p99.add(PeerBench.percentile(ms, 0.99));
            }
            log.printf("# %s: submit round trips, %d in a row per run: p50 %s ms, p99 %s ms%n", name, roundTrips, p50, p99);
            log.flush();
            metrics.print("submit_roundtrip_p50_ms", p50.median(), "ms");
            metrics.print("submit_roundtrip_p99_ms", p99.median(), "ms");
        }
    }

    /** Milliseconds from {@code submit} of one no-op task to its result, {@code count} times in a row. */
    static double[] submitRoundTrips(Executor executor, int count) throws Exception {
        executor.submit(TrivialCalls.constant(-1)).get();
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            if (executor.submit(TrivialCalls.constant(i)).get() != i) throw new IllegalStateException("wrong round-trip result");
            ms[i] = Samples.millisSince(start);
        }
        return ms;
    }

    /**
     * Runs growing chunk-1 maps until their rate stops rising (by 10 %), for at most six target times: the JIT of the
     * client and of the worker JVMs needs some thousands of invocations, and the first figure taken, chunk 1, would
     * otherwise measure compilation, on a small machine at a fifth of its warm rate.
     */
    private void warmUp(Executor executor, SerializableFunction<Integer, Integer> fn, PrintWriter log) throws Exception {
        long deadline = System.nanoTime() + (long) (6 * targetSeconds * 1e9);
        int calls = 250;
        double previous = 0;
        StringBuilder rates = new StringBuilder();
        while (System.nanoTime() < deadline) {
            double rate = calls / (timeMap(executor, fn, calls, 1) / 1000);
            rates.append(String.format(" %.0f", rate));
            if (rate < previous * 1.1) break;
            previous = rate;
            calls = Math.min(20_000, calls * 2);
        }
        log.printf("# %s: warm-up, chunk-1 calls/s of growing maps:%s%n", name, rates);
        log.flush();
    }

    /**
     * Finds a call count that takes about the target time: runs growing maps (which also warm this chunk
     * size) until one takes at least half the target, then scales to the target.
     */
    private int calibrate(Executor executor, SerializableFunction<Integer, Integer> fn, int chunk, int start)
            throws Exception {
        int calls = start;
        while (true) {
            double seconds = timeMap(executor, fn, calls, chunk) / 1000;
            double rate = calls / seconds;
            if (seconds >= targetSeconds / 2 || calls >= MAX_CALLS) return callsFor(rate, chunk, start);
            // Grow at most tenfold per step: the first small maps run slower than warm ones.
            calls = (int) Math.min(MAX_CALLS, Math.min(10L * calls, callsFor(rate, chunk, start)));
        }
    }

    /** Calls that take about the target time at {@code rate}, a whole number of chunks, at least {@code min}. */
    private int callsFor(double rate, int chunk, int min) {
        long wanted = Math.round(rate * targetSeconds);
        long chunks = Math.max(1, (wanted + chunk - 1) / chunk);
        return (int) Math.max(min, Math.min(MAX_CALLS, chunks * chunk));
    }

    /** Milliseconds from submitting {@code calls} identity calls to having all results. */
    static double timeMap(Executor executor, SerializableFunction<Integer, Integer> fn, int calls, int chunk)
            throws Exception {
        return timeMap(executor, fn, calls, MapOptions.builder().chunkSize(chunk).build());
    }

    /** Milliseconds from submitting {@code calls} identity calls with {@code options} to having all results. */
    static double timeMap(Executor executor, SerializableFunction<Integer, Integer> fn, int calls, MapOptions options)
            throws Exception {
        List<Integer> inputs = IntStream.range(0, calls).boxed().toList();
        long start = System.nanoTime();
        List<Integer> out = executor.map(fn, inputs, options).get();
        double ms = Samples.millisSince(start);
        IdentityCheck.require(out, inputs, "processes, chunk " + options.chunkSize());
        return ms;
    }
}

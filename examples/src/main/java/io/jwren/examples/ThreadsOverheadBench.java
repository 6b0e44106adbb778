package io.jwren.examples;

import io.jwren.Executor;
import io.jwren.SerializableFunction;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Figure (a): what the threads backend costs over a plain thread pool. Both map the same no-op
 * function over the same 100,000 inputs on the same number of threads (jwren.workers) and return the
 * results as a list in input order.
 */
final class ThreadsOverheadBench {
    static final int CALLS = 100_000;

    private final int warmups;
    private final int runs;

    ThreadsOverheadBench(boolean quick) {
        this.warmups = quick ? 1 : 5;
        this.runs = quick ? 3 : 9;
    }

    void run(MetricPrinter metrics, PrintWriter log) throws Exception {
        List<Integer> inputs = IntStream.range(0, CALLS).boxed().toList();
        SerializableFunction<Integer, Integer> fn = TrivialCalls.identity();
        Samples jwren = new Samples(runs);
        Samples plain = new Samples(runs);
        try (Executor executor = Executor.builder().backend("threads").build()) {
            int threads = executor.config().getInt("jwren.workers", Runtime.getRuntime().availableProcessors());
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-plain-pool");
                t.setDaemon(true);
                return t;
            });
            try {
                log.printf("# threads: %d no-op calls on %d threads, %d warm-ups then %d timed runs each%n",
                        CALLS, threads, warmups, runs);
                log.flush();
                for (int i = 0; i < warmups; i++) {
                    timeJwren(executor, fn, inputs);
                    timeInvokeAll(pool, fn, inputs);
                }
                // Alternate the two so drift (JIT, GC, other load) hits both alike.
                for (int i = 0; i < runs; i++) {
                    jwren.add(timeJwren(executor, fn, inputs));
                    plain.add(timeInvokeAll(pool, fn, inputs));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        double jwrenMs = jwren.median();
        double plainMs = plain.median();
        metrics.print("threads_100k_noop_ms", jwrenMs, "ms");
        metrics.print("invokeall_100k_noop_ms", plainMs, "ms");
        metrics.print("threads_vs_invokeall_ratio", jwrenMs / plainMs, "x");
    }

    private static double timeJwren(Executor executor, SerializableFunction<Integer, Integer> fn, List<Integer> inputs)
            throws Exception {
        long start = System.nanoTime();
        List<Integer> out = executor.map(fn, inputs).get();
        double ms = Samples.millisSince(start);
        IdentityCheck.require(out, inputs, "jwren threads");
        return ms;
    }

    /** What a user would write without jwren: one Callable per input, invokeAll, then collect in order. */
    private static double timeInvokeAll(ExecutorService pool, SerializableFunction<Integer, Integer> fn,
                                        List<Integer> inputs) throws Exception {
        long start = System.nanoTime();
        List<Callable<Integer>> tasks = new ArrayList<>(inputs.size());
        for (Integer in : inputs) tasks.add(() -> fn.apply(in));
        List<Integer> out = new ArrayList<>(inputs.size());
        for (Future<Integer> f : pool.invokeAll(tasks)) out.add(f.get());
        double ms = Samples.millisSince(start);
        IdentityCheck.require(out, inputs, "invokeAll");
        return ms;
    }
}

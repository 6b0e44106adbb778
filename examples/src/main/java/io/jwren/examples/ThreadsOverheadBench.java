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
    private final AllocationMeter allocations = new AllocationMeter();

    ThreadsOverheadBench(boolean quick) {
        // jwren's per-call path is longer than a FutureTask's and needs more rounds before C2 has compiled
        // it: after 5 rounds it still ran 1.5-2.5x slower than after 30 (measured on 2 cores), which
        // would compare a half-warm jwren with a warm pool.
        this.warmups = quick ? 2 : 30;
        this.runs = quick ? 3 : 15;
    }

    /** One way of running the calls, returning the results in input order. */
    private interface Contender {
        List<Integer> runAll() throws Exception;
    }

    void run(MetricPrinter metrics, PrintWriter log) throws Exception {
        List<Integer> inputs = IntStream.range(0, CALLS).boxed().toList();
        SerializableFunction<Integer, Integer> fn = TrivialCalls.identity();
        Samples jwrenMs = new Samples(runs), plainMs = new Samples(runs);
        Samples jwrenBytes = new Samples(runs), plainBytes = new Samples(runs);
        try (Executor executor = Executor.builder().backend("threads").build()) {
            int threads = executor.config().getInt("jwren.workers", Runtime.getRuntime().availableProcessors());
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-plain-pool");
                t.setDaemon(true);
                return t;
            });
            try {
                Contender jwren = () -> executor.map(fn, inputs).get();
                Contender plain = () -> invokeAll(pool, fn, inputs);
                log.printf("# threads: %d no-op calls on %d threads, %d warm-ups then %d timed runs each%n",
                        CALLS, threads, warmups, runs);
                log.flush();
                for (int i = 0; i < warmups; i++) {
                    measure(jwren, inputs, "jwren threads", null, null);
                    measure(plain, inputs, "invokeAll", null, null);
                }
                // Alternate which goes first, so drift and the garbage one leaves for the other hit both alike.
                for (int i = 0; i < runs; i++) {
                    if (i % 2 == 0) {
                        measure(jwren, inputs, "jwren threads", jwrenMs, jwrenBytes);
                        measure(plain, inputs, "invokeAll", plainMs, plainBytes);
                    } else {
                        measure(plain, inputs, "invokeAll", plainMs, plainBytes);
                        measure(jwren, inputs, "jwren threads", jwrenMs, jwrenBytes);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        log.printf("# threads runs (ms): jwren %s, invokeAll %s%n", jwrenMs, plainMs);
        log.flush();
        metrics.print("threads_100k_noop_ms", jwrenMs.median(), "ms");
        metrics.print("invokeall_100k_noop_ms", plainMs.median(), "ms");
        metrics.print("threads_vs_invokeall_ratio", jwrenMs.median() / plainMs.median(), "x");
        if (allocations.supported()) {
            metrics.print("threads_alloc_per_call", jwrenBytes.median() / CALLS, "bytes");
            metrics.print("invokeall_alloc_per_call", plainBytes.median() / CALLS, "bytes");
        }
    }

    /** Times one run (and counts what it allocated) into the samples, or only checks it when they are null. */
    private void measure(Contender contender, List<Integer> inputs, String what, Samples ms, Samples bytes)
            throws Exception {
        long allocatedBefore = allocations.total();
        long start = System.nanoTime();
        List<Integer> out = contender.runAll();
        double elapsed = Samples.millisSince(start);
        long allocated = allocations.total() - allocatedBefore;
        IdentityCheck.require(out, inputs, what);
        if (ms != null) ms.add(elapsed);
        if (bytes != null) bytes.add(allocated);
    }

    /** What a user would write without jwren: one Callable per input, invokeAll, then collect in order. */
    private static List<Integer> invokeAll(ExecutorService pool, SerializableFunction<Integer, Integer> fn,
                                           List<Integer> inputs) throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>(inputs.size());
        for (Integer in : inputs) tasks.add(() -> fn.apply(in));
        List<Integer> out = new ArrayList<>(inputs.size());
        for (Future<Integer> f : pool.invokeAll(tasks)) out.add(f.get());
        return out;
    }
}

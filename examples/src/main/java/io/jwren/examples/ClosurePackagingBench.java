package io.jwren.examples;

import io.jwren.SerializableFunction;
import io.jwren.engine.closure.ClassBundle;
import io.jwren.engine.closure.ClosurePackager;
import io.jwren.engine.closure.PackagedClosure;

import java.io.PrintWriter;

/**
 * Figure (c): the time to package a typical closure for shipping (serialize it, gather the classes
 * workers lack), measured on {@link ClosurePackager#pack} directly. The first call pays for loading
 * and initializing Kryo and ASM, so it is only "first" if nothing packaged a closure earlier in this JVM.
 */
final class ClosurePackagingBench {
    private final int warmups;
    private final int runs;

    ClosurePackagingBench(boolean quick) {
        this.warmups = quick ? 5 : 20;
        this.runs = quick ? 10 : 50;
    }

    void run(MetricPrinter metrics, PrintWriter log) {
        ClosurePackager packager = new ClosurePackager();
        int maxClassMajor = Runtime.version().feature() + 44;
        // The Monte Carlo slice counter: captures three numbers and calls a helper class, like most user lambdas.
        long start = System.nanoTime();
        PackagedClosure first = pack(packager, 0, maxClassMajor);
        double firstMs = Samples.millisSince(start);
        for (int i = 0; i < warmups; i++) pack(packager, i + 1, maxClassMajor);
        Samples warm = new Samples(runs);
        for (int i = 0; i < runs; i++) {
            start = System.nanoTime();
            pack(packager, warmups + i + 1, maxClassMajor);
            warm.add(Samples.millisSince(start));
        }
        long bundleBytes = 0;
        for (ClassBundle b : first.bundles()) bundleBytes += b.bytes().length;
        log.printf("# closure: a %d-byte function and %d class bundles (%d bytes); %d warm-ups, %d timed calls%n",
                first.function().length, first.bundles().size(), bundleBytes, warmups, runs);
        log.flush();
        metrics.print("closure_pack_first_ms", firstMs, "ms");
        metrics.print("closure_pack_warm_ms", warm.median(), "ms");
        metrics.print("closure_pack_shipped_kb", (first.function().length + bundleBytes) / 1024.0, "KB");
    }

    /** A fresh closure each time (different captured seed), as each map in a program brings its own. */
    private static PackagedClosure pack(ClosurePackager packager, long seed, int maxClassMajor) {
        SerializableFunction<Integer, Long> fn = PiSampler.sliceCounter(seed, 1_000_000, 10);
        return packager.pack(fn, fn.getClass().getClassLoader(), maxClassMajor);
    }
}

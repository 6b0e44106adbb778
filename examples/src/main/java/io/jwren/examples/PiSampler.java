package io.jwren.examples;

import io.jwren.SerializableFunction;

import java.util.SplittableRandom;

/**
 * The part of the Monte Carlo example that runs on the workers: counts random points that fall inside
 * the unit quarter-circle.
 *
 * <p>This class is kept free of command-line and printing code on purpose: the lambda it creates is
 * shipped to worker JVMs together with the classes it references, and a lean capturing class keeps
 * that shipment small (no picocli, no table formatting).
 */
final class PiSampler {
    /** Odd constant from SplitMix64; spreads consecutive slice numbers far apart before mixing. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private PiSampler() {}

    /**
     * The function one map call runs: slice number in, count of points inside out. It captures only
     * three numbers; each call builds its own generator from (seed, slice), so the result depends on
     * nothing but those, whichever thread or JVM runs it and in whatever order.
     */
    static SerializableFunction<Integer, Long> sliceCounter(long seed, long trials, int slices) {
        return slice -> countInside(seed, slice, sliceSize(trials, slices, slice));
    }

    /** Trials of one slice: an even split, with the first {@code trials % slices} slices taking one more. */
    static long sliceSize(long trials, int slices, int slice) {
        long base = trials / slices;
        return slice < trials % slices ? base + 1 : base;
    }

    /** Draws {@code n} points in the unit square and counts those with x² + y² ≤ 1. */
    static long countInside(long seed, int slice, long n) {
        SplittableRandom rng = new SplittableRandom(seed ^ mix((slice + 1L) * GOLDEN_GAMMA));
        long inside = 0;
        for (long i = 0; i < n; i++) {
            double x = rng.nextDouble();
            double y = rng.nextDouble();
            if (x * x + y * y <= 1.0) inside++;
        }
        return inside;
    }

    /** SplitMix64's finalizer: neighbouring slice numbers give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package io.jwren.examples;

import io.jwren.SerializableFunction;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What one matvec call runs on a worker (kept lean: it ships with the job). PyWren's demo: make an n×n
 * matrix of normal samples scaled by b, multiply it by a vector of ones, return the norm of the product.
 */
final class MatvecKernel {
    private MatvecKernel() {}

    /** The result of one call: b, the norm of A·x, and the nanoseconds the multiplication took. */
    record Product(double scale, double norm, long multiplyNanos) {}

    /** The scales of {@code calls} calls, PyWren's linspace(0.1, 100, calls). */
    static List<Double> scales(int calls) {
        return IntStream.range(0, calls).mapToObj(i -> 0.1 + (100 - 0.1) * i / (calls - 1)).toList();
    }

    static SerializableFunction<Double, Product> multiply(int n, long seed) {
        return b -> product(n, b, seed);
    }

    static Product product(int n, double b, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ Double.doubleToLongBits(b));
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) a[i] = b * rng.nextGaussian();
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        long start = System.nanoTime();
        double sumSquares = 0;
        for (int r = 0; r < n; r++) {
            double y = 0;
            int row = r * n;
            for (int c = 0; c < n; c++) y += a[row + c] * x[c];
            sumSquares += y * y;
        }
        return new Product(b, Math.sqrt(sumSquares), System.nanoTime() - start);
    }
}

package io.jwren.examples;

import java.util.Arrays;

/** Repeated timings of one thing; the median resists the odd GC pause or scheduler hiccup. */
final class Samples {
    private final double[] values;
    private int size;

    Samples(int capacity) {
        values = new double[capacity];
    }

    void add(double value) {
        values[size++] = value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double median() {
        if (size == 0) throw new IllegalStateException("no samples");
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int mid = size / 2;
        return size % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The samples in the order taken, for the bench's notes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) sb.append(i == 0 ? "" : " ").append(MetricPrinter.format(values[i]));
        return sb.append("]").toString();
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}

package io.jwren.lambda;

import io.jwren.SerializableCallable;
import io.jwren.SerializableFunction;

import java.util.SplittableRandom;

/**
 * The functions the end-to-end maps ship, in a class of their own: a lambda's capturing class is walked
 * for the classes to ship, and the test class names S3Proxy, Jackson and the sink, whose jars would go up too.
 */
final class Functions {
    private Functions() {}

    static double estimatePi(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int inside = 0;
        for (int i = 0; i < 10_000; i++) {
            double x = r.nextDouble();
            double y = r.nextDouble();
            if (x * x + y * y <= 1) inside++;
        }
        return 4.0 * inside / 10_000;
    }

    static SerializableFunction<Long, Double> piEstimate() {
        return Functions::estimatePi;
    }

    static SerializableFunction<Integer, Integer> doubleButThrowOn(int bad) {
        return x -> {
            if (x == bad) throw new IllegalStateException("bad input " + x);
            return x * 2;
        };
    }

    static SerializableFunction<Integer, Integer> plus(int n) {
        return x -> x + n;
    }

    /** Kills the worker's JVM outright on {@code fatal}, as an out-of-memory kill or a native crash would. */
    static SerializableFunction<Integer, Integer> haltOn(int fatal) {
        return x -> {
            if (x == fatal) Runtime.getRuntime().halt(137);
            return x;
        };
    }

    static SerializableCallable<Long> constant(long value) {
        return () -> value;
    }

    /** {@code n} bytes, each the input's low byte. */
    static SerializableFunction<Integer, byte[]> bytes(int n) {
        return x -> {
            byte[] b = new byte[n];
            java.util.Arrays.fill(b, (byte) (int) x);
            return b;
        };
    }
}

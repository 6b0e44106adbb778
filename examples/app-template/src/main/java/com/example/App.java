package com.example;

import io.jwren.Executor;
import io.jwren.MapFuture;

import java.util.List;
import java.util.stream.IntStream;

/** Estimates the sum of the squares of 1..1000 with one call per input, on whatever backend is configured. */
public final class App {
    public static void main(String[] args) throws Exception {
        List<Integer> inputs = IntStream.rangeClosed(1, 1000).boxed().toList();
        try (Executor ex = Executor.fromConfig()) {
            MapFuture<Long> squares = ex.map((Integer x) -> (long) x * x, inputs);
            long sum = squares.get().stream().mapToLong(Long::longValue).sum();
            System.out.println("sum of squares 1..1000 = " + sum + " (job " + squares.jobId() + ")");
        }
    }
}

package io.jwren.local.jobs;

import io.jwren.SerializableFunction;

/** A function that uses nothing but the JDK; its own class is all it ships. */
public final class PlainJob {
    private PlainJob() {}

    public static SerializableFunction<Integer, Integer> square() {
        return x -> x * x;
    }
}

package io.jwren.examples;

import io.jwren.SerializableCallable;
import io.jwren.SerializableFunction;

/**
 * The do-nothing functions the bench maps, measuring jwren's own cost per call. They live in this
 * lean class rather than in the bench classes so the closure shipped to worker JVMs is just this
 * class, not the bench's timing and printing code.
 */
final class TrivialCalls {
    private TrivialCalls() {}

    /** Returns its input: no work, one boxed result back. */
    static SerializableFunction<Integer, Integer> identity() {
        return x -> x;
    }

    /** A task that returns {@code x}: one submit round trip with nothing to compute. */
    static SerializableCallable<Integer> constant(int x) {
        return () -> x;
    }

    /** Returns the length of its input: the call is nothing, the bytes are what travels. */
    static SerializableFunction<byte[], Integer> length() {
        return b -> b.length;
    }
}

package io.jwren.examples;

import io.jwren.ObjectChunk;
import io.jwren.SerializableBinaryOperator;
import io.jwren.SerializableFunction;

import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Pattern;

/** The wordcount map and reduce: words are runs of letters or digits, counted lower-cased. */
final class WordCounts {
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private WordCounts() {}

    /** Counts the words of the lines that start in one chunk. */
    static SerializableFunction<ObjectChunk, HashMap<String, Long>> ofChunk() {
        return chunk -> {
            HashMap<String, Long> counts = new HashMap<>();
            chunk.forEachLine(line -> countLine(line, counts));
            return counts;
        };
    }

    static void countLine(String line, HashMap<String, Long> counts) {
        for (String w : NOT_A_WORD.split(line)) {
            if (!w.isEmpty()) counts.merge(w.toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
    }

    /** Adds the smaller table into the larger one. */
    static SerializableBinaryOperator<HashMap<String, Long>> merge() {
        return (a, b) -> {
            HashMap<String, Long> big = a.size() >= b.size() ? a : b;
            HashMap<String, Long> small = big == a ? b : a;
            small.forEach((w, n) -> big.merge(w, n, Long::sum));
            return big;
        };
    }
}

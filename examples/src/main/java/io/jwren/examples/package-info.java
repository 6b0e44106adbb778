/**
 * Runnable examples and jwren's own benchmarks, in {@code jwren-examples.jar}
 * ({@link io.jwren.examples.JWrenExamples}): {@code montecarlo}, {@code matvec}, {@code wordcount} and
 * {@code bench}. Code to read and run, not an API.
 */
package io.jwren.examples;

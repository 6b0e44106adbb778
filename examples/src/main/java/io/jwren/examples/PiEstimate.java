package io.jwren.examples;

import java.time.Duration;

/**
 * The outcome of one Monte Carlo run.
 *
 * @param trials  points drawn in all
 * @param slices  map calls the trials were split over
 * @param seed    the seed every slice's generator was derived from
 * @param inside  points that fell inside the quarter-circle
 * @param elapsed wall time from submitting the map to having every count
 */
record PiEstimate(long trials, int slices, long seed, long inside, Duration elapsed) {

    /** The area ratio inside/trials approximates π/4. */
    double pi() {
        return 4.0 * inside / trials;
    }

    double error() {
        return Math.abs(pi() - Math.PI);
    }
}

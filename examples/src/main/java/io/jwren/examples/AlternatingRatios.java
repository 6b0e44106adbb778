package io.jwren.examples;

/**
 * A variant's cost over a baseline's, from rounds that each ran the two back to back, the order alternating round by
 * round. One ratio per two consecutive rounds, of the sums over both: whatever running second does to a pass (a
 * heap the first one filled, files it left in the page cache) then weighs on each side once. On this bench's
 * machines that effect alone moved single-round ratios between 0.6 and 1.9, in step with the order.
 */
final class AlternatingRatios {
    private final Samples ratios;
    private double baselineSum;
    private double variantSum;
    private boolean halfPair;

    AlternatingRatios(int rounds) {
        ratios = new Samples(rounds / 2 + 1);
    }

    /** Adds one round's two costs, in the same unit. */
    void add(double baseline, double variant) {
        baselineSum += baseline;
        variantSum += variant;
        if (halfPair) {
            ratios.add(variantSum / baselineSum);
            baselineSum = 0;
            variantSum = 0;
        }
        halfPair = !halfPair;
    }

    double median() {
        return ratios.median();
    }

    /** The ratios in the order taken, for the bench's notes. */
    @Override
    public String toString() {
        return ratios.toString();
    }
}

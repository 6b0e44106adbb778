package io.jwren.spi;

/** How a backend's provider charges for invocations, so a job summary can estimate the cost. */
public enum Billing {
    /** Not charged per invocation (local threads and JVMs, a cluster you already pay for). */
    NONE,
    /**
     * Per GB-second: configured memory in GB times billed duration, summed over invocations (AWS Lambda).
     * The rate comes from {@code jwren.lambda.price-per-gb-s}.
     */
    PER_GB_SECOND
}

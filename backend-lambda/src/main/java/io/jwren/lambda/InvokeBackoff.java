package io.jwren.lambda;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the backend retries an Invoke that Lambda throttled (429 {@code TooManyRequestsException}) or failed
 * on its side (5xx), or that never got an answer (a connection error): exponential backoff with full
 * jitter. Retry {@code n} (0-based) waits a uniformly random time in {@code [0, min(cap, base × 2^n)]};
 * after {@code maxRetries} retries the invocation is reported lost, and the engine's own retry budget
 * ({@code jwren.retries}) takes over. Full jitter spreads a burst of throttled clients over the whole
 * window instead of letting them come back in step.
 */
record InvokeBackoff(Duration base, Duration cap, int maxRetries) {
    InvokeBackoff {
        if (base.isNegative() || cap.isNegative()) throw new IllegalArgumentException("backoff must not be negative");
        if (maxRetries < 0) throw new IllegalArgumentException("jwren.lambda.invoke-retries must be 0 or more");
    }

    /** The longest wait before retry {@code n}. */
    long ceilingMs(int n) {
        double ceiling = Math.max(1, base.toMillis()) * Math.pow(2, n);
        return (long) Math.min(cap.toMillis(), ceiling);
    }

    /** The wait before retry {@code n}, drawn from {@code random}. */
    long delayMs(int n, RandomGenerator random) {
        return random.nextLong(ceilingMs(n) + 1);
    }

    /** Whether retry {@code n} may still be made. */
    boolean allows(int n) {
        return n < maxRetries;
    }

    /** Whether an HTTP status from Invoke is worth retrying: throttling and Lambda's own failures. */
    static boolean retryableStatus(int status) {
        return status == 429 || status >= 500;
    }
}

package io.jwren.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvokeBackoffTest {
    private final InvokeBackoff backoff = new InvokeBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 10);

    @Test
    void ceilingDoublesFromTheBaseAndStopsAtTheCap() {
        assertEquals(100, backoff.ceilingMs(0));
        assertEquals(200, backoff.ceilingMs(1));
        assertEquals(6400, backoff.ceilingMs(6));
        assertEquals(10_000, backoff.ceilingMs(7));
        assertEquals(10_000, backoff.ceilingMs(200), "no overflow far out");
    }

    @Test
    void fullJitterDrawsUniformlyBetweenZeroAndTheCeiling() {
        Random random = new Random(42);
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long d = backoff.delayMs(3, random);
            assertTrue(d >= 0 && d <= 800, "delay " + d);
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double mean = (double) sum / n;
        assertTrue(Math.abs(mean - 400) < 20, "mean " + mean + " should be about half the ceiling");
        assertTrue(min < 20 && max > 780, "spread over the whole window: " + min + ".." + max);
    }

    @Test
    void retriesAreBoundedAndOnlyThrottlingAndServerErrorsAreRetryable() {
        assertTrue(backoff.allows(9));
        assertFalse(backoff.allows(10));
        assertTrue(InvokeBackoff.retryableStatus(429));
        assertTrue(InvokeBackoff.retryableStatus(500));
        assertTrue(InvokeBackoff.retryableStatus(503));
        assertFalse(InvokeBackoff.retryableStatus(400));
        assertFalse(InvokeBackoff.retryableStatus(403));
        assertFalse(InvokeBackoff.retryableStatus(404));
    }
}

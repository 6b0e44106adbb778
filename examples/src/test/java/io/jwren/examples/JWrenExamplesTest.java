package io.jwren.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher: bad arguments give a usage message and exit code 2, without running anything. */
class JWrenExamplesTest {

    @Test
    void noCommandPrintsUsage() {
        CliRun run = CliRun.of();
        assertUsageError(run, "Missing command");
        assertTrue(run.err().contains("montecarlo") && run.err().contains("bench"), run::transcript);
    }

    @Test
    void unknownCommandPrintsUsage() {
        assertUsageError(CliRun.of("pi-please"), "pi-please");
    }

    @Test
    void unparsableNumberPrintsMontecarloUsage() {
        CliRun run = CliRun.of("montecarlo", "--trials", "lots");
        assertUsageError(run, "'lots'");
        assertTrue(run.err().contains("Usage: jwren-examples montecarlo"), run::transcript);
    }

    @Test
    void nonPositiveWorkersPrintsUsage() {
        assertUsageError(CliRun.of("montecarlo", "--workers", "0", "--backend", "threads"), "--workers must be at least 1");
    }

    @Test
    void unknownOptionPrintsUsage() {
        assertUsageError(CliRun.of("montecarlo", "--tirals", "5"), "--tirals");
    }

    @Test
    void unknownBenchFigurePrintsUsage() {
        CliRun run = CliRun.of("bench", "--only", "gpus");
        assertUsageError(run, "gpus");
        assertTrue(run.err().contains("Usage: jwren-examples bench"), run::transcript);
    }

    @Test
    void unknownBackendFailsWithItsNameAndNonZeroExit() {
        CliRun run = CliRun.of("montecarlo", "--trials", "1000", "--backend", "carrier-pigeon");
        assertEquals(1, run.exitCode(), run::transcript);
        assertTrue(run.err().contains("carrier-pigeon"), run::transcript);
        assertEquals("", run.out(), run::transcript);
    }

    @Test
    void helpExitsZero() {
        CliRun run = CliRun.of("montecarlo", "--help");
        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(run.out().contains("--trials"), run::transcript);
    }

    private static void assertUsageError(CliRun run, String message) {
        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(run.err().contains(message), run::transcript);
        assertTrue(run.err().contains("Usage:"), run::transcript);
        assertEquals("", run.out(), "nothing ran, so nothing on stdout\n" + run.transcript());
    }
}

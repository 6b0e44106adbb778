package io.jwren.examples;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatvecCommandTest {
    @Test
    void printsAggregateGflopsAndAPlausibleProduct() {
        CliRun run = CliRun.of("matvec", "--calls", "40", "--size", "256", "--backend", "threads");
        assertEquals(0, run.exitCode(), run::transcript);
        Map<String, String> table = new LinkedHashMap<>();
        for (String line : run.outLines()) table.put(line.split(" +", 2)[0], line.split(" +", 2)[1]);
        assertEquals("40", table.get("calls"));
        assertEquals("256x256", table.get("size"));
        assertEquals("linspace(0.1, 100.0)", table.get("scale"));
        assertEquals("0.005", table.get("gflop"), "2 * 256^2 * 40 flops");
        assertTrue(table.get("gflops").matches("\\d+\\.\\d{3} GFLOP/s aggregate.*"), table.get("gflops"));
        double check = Double.parseDouble(table.get("check").split(" ")[0]);
        // 40 calls of 256 rows: the mean ratio is within a few percent of 1.
        assertEquals(1.0, check, 0.05, run.transcript());
    }

    @Test
    void tooFewCallsIsAUsageError() {
        CliRun run = CliRun.of("matvec", "--calls", "1");
        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(run.err().contains("--calls must be at least 2"), run.transcript());
    }
}

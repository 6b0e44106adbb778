package io.jwren.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MonteCarloCommandTest {
    private static final String TRIALS = "400000";

    @TempDir
    Path storage;

    @Test
    void threadsPrintsATableWithPiCloseToMathPi() {
        Map<String, String> table = montecarlo("threads", 7);
        assertEquals(TRIALS, table.get("trials"));
        assertEquals("4", table.get("workers"));
        assertEquals("7", table.get("seed"));
        assertEquals("threads", table.get("backend"));
        long points = Long.parseLong(table.get("points"));
        double pi = Double.parseDouble(table.get("result"));
        assertEquals(Math.PI, Double.parseDouble(table.get("pi")), 1e-8, "the pi row is the true value, for comparison");
        double error = Double.parseDouble(table.get("error"));
        // The printed estimate is the one the points give, and the error is its distance from π.
        assertEquals(4.0 * points / Long.parseLong(TRIALS), pi, 1e-8);
        assertEquals(Math.abs(pi - Math.PI), error, 1e-8);
        // Standard error of the estimate at 400k trials is about 0.0026; 0.015 is more than five of them.
        assertTrue(error < 0.015, "pi " + pi + " too far from Math.PI");
        assertTrue(table.get("time").matches("\\d+\\.\\d{3} s"), table.get("time"));
    }

    @Test
    void theSeedAloneDecidesThePoints() {
        String first = montecarlo("threads", 11).get("points");
        assertEquals(first, montecarlo("threads", 11).get("points"), "same seed, same points");
        assertNotEquals(first, montecarlo("threads", 12).get("points"), "another seed, other points");
    }

    /** Needs closure shipping: the slice counter runs in worker JVMs that lack the examples' classes. */
    @Test
    void sameSeedGivesTheSamePointsOnThreadsAndProcesses() {
        String onThreads = montecarlo("threads", 2024).get("points");
        Map<String, String> onProcesses = montecarlo("processes", 2024);
        assertEquals("processes", onProcesses.get("backend"));
        assertEquals(onThreads, onProcesses.get("points"));
    }

    @Test
    void plotWritesATimelinePngAndPrintsTheStats() throws Exception {
        Path png = storage.resolve("timeline.png");
        CliRun run = CliRun.of("montecarlo", "--trials", TRIALS, "--workers", "4", "--backend", "threads",
                "--storage", storage.toUri().toString(), "--plot", png.toString());
        assertEquals(0, run.exitCode(), run::transcript);
        parseTable(run); // stdout stays the table alone
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth(), run.transcript());
        assertTrue(run.err().contains(": 4 calls, 4 ok, 0 failed"), run.transcript());
        assertTrue(run.err().contains("timeline: " + png.toAbsolutePath()), run.transcript());
    }

    @Test
    void unevenSlicesStillDrawEveryTrial() {
        long total = 0;
        for (int s = 0; s < 7; s++) total += PiSampler.sliceSize(1_000_003, 7, s);
        assertEquals(1_000_003, total);
        assertEquals(0, PiSampler.sliceSize(3, 5, 4), "more slices than trials leaves some empty");
    }

    private Map<String, String> montecarlo(String backend, long seed) {
        CliRun run = CliRun.of("montecarlo", "--trials", TRIALS, "--workers", "4", "--backend", backend,
                "--seed", Long.toString(seed), "--storage", storage.toUri().toString());
        assertEquals(0, run.exitCode(), run::transcript);
        return parseTable(run);
    }

    /** The two-column table: name, spaces, value. */
    static Map<String, String> parseTable(CliRun run) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : run.outLines()) {
            String[] cells = line.trim().split("\\s{2,}", 2);
            if (cells.length != 2) fail("not a table row: '" + line + "'\n" + run.transcript());
            rows.put(cells[0], cells[1]);
        }
        for (String name : new String[] {"trials", "workers", "points", "pi", "error", "time", "backend"})
            assertTrue(rows.containsKey(name), "no '" + name + "' row\n" + run.transcript());
        return rows;
    }
}

package io.jwren;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStatsTest {
    /** 60 calls on 4 workers over about 6 s, two of them failed, one retried. */
    static JobStats sample(OptionalDouble gbs, OptionalDouble cost) {
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        List<CallStats> calls = new ArrayList<>();
        long[] workerFree = new long[4];
        for (int i = 0; i < 60; i++) {
            int w = i % 4;
            long start = Math.max(workerFree[w], 150 + 10L * w);
            long dur = 200 + (i * 37 % 300);
            workerFree[w] = start + dur;
            calls.add(new CallStats(i, "w-" + w, i == 17 ? 1 : 0, t0, t0.plusMillis(start), t0.plusMillis(start + dur),
                    i == 9 || i == 41, i == 5 ? 2 : 0, Duration.ofMillis(dur / 2), 1_000_000, i < 4));
        }
        return new JobStats("abcd1234-M000", 60, 58, 2, 1, 15, 16, Duration.ofMillis(5900), Duration.ofMillis(20_000),
                Duration.ofMillis(330), Duration.ofMillis(480), Map.of("w-0", 15, "w-1", 15, "w-2", 15, "w-3", 15), calls,
                1024, gbs, cost);
    }

    @Test
    void theSummaryNamesTheFiguresAndACostOnlyWhenBilled() {
        String plain = sample(OptionalDouble.empty(), OptionalDouble.empty()).toString();
        assertEquals("""
                job abcd1234-M000: 60 calls, 58 ok, 2 failed, 1 retried; 15 invocations, 16 attempts
                wall 5.900 s, call time 20.000 s in all, per call p50 0.330 s p95 0.480 s
                cpu 10.380 s (52% of call time), allocated 60.0 MB, cold starts 4, re-runs 2
                workers 4: w-0=15 w-1=15 w-2=15 w-3=15""", plain);
        String billed = sample(OptionalDouble.of(20.5), OptionalDouble.of(20.5 * 0.0000166667)).toString();
        assertTrue(billed.endsWith("\ncost: 20.500 GB-s at 1024 MB, about 0.000342 USD"), billed);
    }

    @Test
    void theTimelineIsAPngOfTheAskedSize(@TempDir Path dir) throws Exception {
        JobStats s = sample(OptionalDouble.empty(), OptionalDouble.empty());
        Path png = s.plotTimeline(dir.resolve("t.png"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(1200, img.getWidth());
        assertEquals(700, img.getHeight());
        // failed calls are drawn in the failure colour, succeeded ones in the other
        assertTrue(count(img, TimelinePlot.FAILED.getRGB()) > 100);
        assertTrue(count(img, TimelinePlot.OK.getRGB()) > 10 * count(img, TimelinePlot.FAILED.getRGB()));
        // CPU share darkens the lower half of each bar; the four cold starts get a mark each
        assertTrue(count(img, TimelinePlot.CPU.getRGB()) > count(img, TimelinePlot.OK.getRGB()) / 4);
        assertTrue(count(img, TimelinePlot.COLD.getRGB()) >= 22 * 12 + 4 * 4 * 5, "legend and cold marks: " + count(img, TimelinePlot.COLD.getRGB()));
        Files.copy(png, Path.of("target", "sample-timeline.png"), StandardCopyOption.REPLACE_EXISTING);

        BufferedImage small = ImageIO.read(s.plotTimeline(dir.resolve("small.png"), 640, 400).toFile());
        assertEquals(640, small.getWidth());
        assertEquals(400, small.getHeight());
        assertThrows(IllegalArgumentException.class, () -> s.plotTimeline(dir.resolve("x.png"), 100, 100));
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void aThousandCallsAndNoCallsStillDraw(@TempDir Path dir) throws Exception {
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        List<CallStats> calls = new ArrayList<>();
        long[] free = new long[50];
        for (int i = 0; i < 1000; i++) {
            int w = i % 50;
            long start = Math.max(free[w], 800 + 7L * w); // a cold start, then back to back
            long dur = 1500 + (i * 7919L % 2500);
            free[w] = start + dur;
            calls.add(new CallStats(i, "w-" + w, 0, t0, t0.plusMillis(start), t0.plusMillis(start + dur), i % 97 == 0));
        }
        JobStats big = new JobStats("big-M001", 1000, 989, 11, 0, 1000, 1000, Duration.ofSeconds(60), Duration.ofSeconds(2700),
                Duration.ofMillis(2700), Duration.ofMillis(3900), Map.of(), calls, 1769, OptionalDouble.empty(), OptionalDouble.empty());
        Path png = big.plotTimeline(dir.resolve("big.png"));
        assertEquals(1200, ImageIO.read(png.toFile()).getWidth());
        Files.copy(png, Path.of("target", "big-timeline.png"), StandardCopyOption.REPLACE_EXISTING);

        JobStats none = new JobStats("empty-M002", 3, 0, 0, 0, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Map.of(), List.of(), 1024, OptionalDouble.empty(), OptionalDouble.empty());
        assertEquals(700, ImageIO.read(none.plotTimeline(dir.resolve("none.png")).toFile()).getHeight());
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(0.5, TimelinePlot.niceStep(4.2, 10), 1e-12);
        assertEquals(1.0, TimelinePlot.niceStep(6, 10), 1e-12);
        assertEquals(10.0, TimelinePlot.niceStep(100, 10), 1e-12);
        assertEquals(0.02, TimelinePlot.niceStep(0.15, 10), 1e-12);
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if (img.getRGB(x, y) == rgb) n++;
        return n;
    }
}

package io.jwren.local;

import io.jwren.CallEvent;
import io.jwren.CallListener;
import io.jwren.CallStats;
import io.jwren.CallTimeoutException;
import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Call events, job stats, the timeline plot, the cost estimate and the progress bar, on real maps. */
class EventsAndStatsTest {

    static final class Recorder implements CallListener {
        final ConcurrentLinkedQueue<CallEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        public void done(CallEvent e) {
            events.add(e);
        }

        @Override
        public void failed(CallEvent e) {
            events.add(e);
        }

        @Override
        public void retried(CallEvent e) {
            events.add(e);
        }

        List<CallEvent> of(CallEvent.Kind kind) {
            return events.stream().filter(e -> e.kind() == kind).collect(Collectors.toList());
        }
    }

    static int slowOnFirstRun(int x, String marker) {
        if (x == 3) throw new IllegalStateException("call 3 refuses");
        if (x == 5) {
            Path m = Path.of(marker);
            if (!Files.exists(m)) {
                try {
                    Files.createFile(m);
                    Thread.sleep(30_000); // times out; the retry finds the marker and returns at once
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
        }
        return x * 10;
    }

    static int sleepy(int x, long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    @Test
    void eachCallEndsInOneEventOfTheRightKindAfterItsRetries(@TempDir Path dir) throws Exception {
        String marker = dir.resolve("ran-once").toString();
        Recorder rec = new Recorder();
        try (Executor ex = Executor.builder().backend("threads").property("jwren.workers", "4").build()) {
            // The healthy calls must finish within timeout + 100 ms of grace even on a loaded machine, or they are
            // retried too and the exact counts below do not hold: 5 s, far above what a trivial call takes.
            MapFuture<Integer> job = ex.map((Integer x) -> slowOnFirstRun(x, marker), IntStream.range(0, 10).boxed().toList(),
                    MapOptions.builder().chunkSize(1).timeout(Duration.ofSeconds(5)).retries(1).listener(rec).build());
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(60, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());

            // Terminal events are in before get() returns: one per call.
            List<CallEvent> done = rec.of(CallEvent.Kind.DONE);
            List<CallEvent> failed = rec.of(CallEvent.Kind.FAILED);
            assertEquals(9, done.size(), rec.events.toString());
            assertEquals(1, failed.size(), rec.events.toString());
            assertEquals(IntStream.range(0, 10).boxed().toList(), rec.events.stream().filter(ev -> ev.kind() != CallEvent.Kind.RETRIED)
                    .map(CallEvent::index).sorted().toList());
            CallEvent bad = failed.get(0);
            assertEquals(3, bad.index());
            assertInstanceOf(IllegalStateException.class, bad.error());
            assertEquals("call 3 refuses", bad.error().getMessage());

            List<CallEvent> retried = rec.of(CallEvent.Kind.RETRIED);
            assertEquals(1, retried.size(), rec.events.toString());
            assertEquals(5, retried.get(0).index());
            assertEquals(1, retried.get(0).attempt());
            assertInstanceOf(CallTimeoutException.class, retried.get(0).error());
            CallEvent five = done.stream().filter(ev -> ev.index() == 5).findFirst().orElseThrow();
            assertEquals(1, five.attempt());

            for (CallEvent ev : done) {
                assertEquals(job.jobId(), ev.jobId());
                assertTrue(ev.workerId().startsWith("jwren-"), ev.workerId());
                assertNull(ev.error());
                assertFalse(ev.started().isBefore(ev.submitted()), ev.toString());
                assertFalse(ev.finished().isBefore(ev.started()), ev.toString());
            }

            JobStats stats = job.stats();
            assertEquals(10, stats.calls());
            assertEquals(9, stats.succeeded());
            assertEquals(1, stats.failed());
            assertEquals(1, stats.retried());
            assertEquals(10, stats.invocations());
            assertEquals(11, stats.attempts());
            assertTrue(stats.callStats().get(3).failed());
        }
    }

    @Test
    void aListenerThatThrowsIsReportedOnceAndTheMapCarriesOn() throws Exception {
        String err = capturingStderr(() -> {
            try (Executor ex = Executor.builder().backend("threads").property("jwren.progress", "never").build()) {
                CallListener broken = new CallListener() {
                    @Override
                    public void done(CallEvent e) {
                        throw new IllegalArgumentException("listener bug");
                    }
                };
                List<Integer> out = ex.map((Integer x) -> x + 1, List.of(1, 2, 3, 4),
                        MapOptions.builder().chunkSize(1).listener(broken).build()).get(60, TimeUnit.SECONDS);
                assertEquals(List.of(2, 3, 4, 5), out);
            }
            return null;
        });
        assertEquals(1, err.lines().filter(l -> l.startsWith("jwren: the call listener")).count(), err);
        assertTrue(err.contains("listener bug"), err);
    }

    @Test
    void statsAgreeWithTheCallsAndTheTimelineIsAReadablePng(@TempDir Path dir) throws Exception {
        try (Executor ex = Executor.builder().backend("threads").property("jwren.workers", "4").build()) {
            MapFuture<Integer> job = ex.map((Integer x) -> sleepy(x, 40 + 10L * (x % 5)), IntStream.range(0, 40).boxed().toList(),
                    MapOptions.builder().chunkSize(2).build());
            assertEquals(40, job.get(60, TimeUnit.SECONDS).size());
            JobStats s = job.stats();
            assertEquals(40, s.calls());
            assertEquals(40, s.succeeded());
            assertEquals(0, s.failed());
            assertEquals(0, s.retried());
            assertEquals(20, s.invocations());
            assertEquals(20, s.attempts());
            assertEquals(40, s.callStats().size());
            assertEquals(40, s.callsPerWorker().values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(s.callsPerWorker().size() <= 4, s.callsPerWorker().toString());
            long sum = 0;
            for (int i = 0; i < 40; i++) {
                CallStats c = s.callStats().get(i);
                assertEquals(i, c.index());
                assertEquals(c, job.calls().get(i).stats());
                sum += c.duration().toMillis();
            }
            assertTrue(Math.abs(s.callTime().toMillis() - sum) <= 40, s.callTime() + " vs " + sum);
            assertTrue(s.callTime().toMillis() >= 40 * 40, s.callTime().toString());
            assertTrue(s.p50().toMillis() >= 40 && s.p95().compareTo(s.p50()) >= 0, s.p50() + " " + s.p95());
            assertTrue(s.p95().toMillis() >= 70, s.p95().toString());
            // four workers run at most four calls at once: the wall time is at least a quarter of the call time.
            // (How much they overlap is up to the machine's scheduler, so no upper bound is asserted.)
            assertTrue(s.wall().toMillis() >= sum / 4 - 20, s.wall() + " vs " + sum);
            assertTrue(s.gbSeconds().isEmpty() && s.estimatedCostUsd().isEmpty());

            String text = s.toString();
            assertTrue(text.contains("40 calls, 40 ok, 0 failed, 0 retried; 20 invocations, 20 attempts"), text);
            assertTrue(text.contains("workers " + s.callsPerWorker().size() + ":"), text);
            assertFalse(text.contains("cost"), text);

            Path png = s.plotTimeline(dir.resolve("plots/timeline.png"));
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, "not a decodable image: " + png);
            assertEquals(1200, img.getWidth());
            assertEquals(700, img.getHeight());
            Files.createDirectories(Path.of("target"));
            Files.copy(png, Path.of("target", "events-stats-timeline.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aBackendBilledPerGbSecondGetsACostInItsSummary() throws Exception {
        try (Executor ex = Executor.builder().backend("threads-billed").property("jwren.workers", "4")
                .property("jwren.memory", "2048").property("jwren.lambda.price-per-gb-s", "0.001").build()) {
            MapFuture<Integer> job = ex.map((Integer x) -> sleepy(x, 100), List.of(1, 2, 3, 4), MapOptions.builder().chunkSize(1).build());
            job.get(60, TimeUnit.SECONDS);
            JobStats s = job.stats();
            assertEquals(2048, s.memoryMb());
            double expected = 0;
            for (CallStats c : s.callStats()) expected += 2.0 * Math.max(1, c.duration().toMillis()) / 1000.0;
            assertEquals(expected, s.gbSeconds().orElseThrow(), 1e-9);
            assertTrue(expected >= 0.8, "4 calls of 100 ms at 2 GB: " + expected);
            assertEquals(expected * 0.001, s.estimatedCostUsd().orElseThrow(), 1e-12);
            String text = s.toString();
            assertTrue(text.contains(String.format(java.util.Locale.ROOT, "cost: %.3f GB-s at 2048 MB, about %.6f USD",
                    expected, expected * 0.001)), text);
        }
    }

    @Test
    void progressNeverWritesNothingToStderrAndAlwaysDrawsABar() throws Exception {
        List<Integer> inputs = IntStream.range(0, 8).boxed().toList();
        String quiet = capturingStderr(() -> {
            try (Executor ex = Executor.builder().backend("threads").property("jwren.workers", "2")
                    .property("jwren.progress", "never").build()) {
                return ex.map((Integer x) -> sleepy(x, 400), inputs, MapOptions.builder().chunkSize(1).build()).get(60, TimeUnit.SECONDS);
            }
        });
        assertEquals("", quiet);

        String drawn = capturingStderr(soFar -> {
            try (Executor ex = Executor.builder().backend("threads").property("jwren.workers", "2")
                    .property("jwren.progress", "always").build()) {
                // 8 calls of at least 1 s on 2 workers: at least 4 s, so the job is surely still running at the
                // first draw (1 s after the start), however late the machine lets the timer run.
                MapFuture<Integer> job = ex.map((Integer x) -> sleepy(x, 1000), inputs, MapOptions.builder().chunkSize(1).build());
                job.get(60, TimeUnit.SECONDS);
                // The last redraw (ending the line) follows the end of the job at the next tick; closing the
                // executor before it would cancel it.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!soFar.get().endsWith(System.lineSeparator())) {
                    assertTrue(System.nanoTime() < deadline, () -> "no final redraw within 60 s: " + soFar.get());
                    Thread.sleep(20);
                }
                return null;
            }
        });
        assertTrue(drawn.startsWith("\r"), drawn);
        assertTrue(drawn.contains(" 8/8 ok 8 failed 0 running 0 "), drawn);
        assertTrue(drawn.contains("[########################]"), drawn);
        assertTrue(drawn.endsWith(System.lineSeparator()), drawn);
        assertEquals(drawn.length() - 1, drawn.indexOf('\n'), "one line, redrawn in place: " + drawn);
    }

    static String capturingStderr(Callable<?> body) throws Exception {
        return capturingStderr(soFar -> body.call());
    }

    /** A body that can look at what it has written to stderr so far. */
    interface WatchingBody {
        Object run(Supplier<String> soFar) throws Exception;
    }

    static String capturingStderr(WatchingBody body) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run(() -> buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}

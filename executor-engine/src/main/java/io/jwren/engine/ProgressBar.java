package io.jwren.engine;

import io.jwren.JobStatus;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-line progress bar on stderr for a map that runs longer than a second: done, failed, running,
 * rate and ETA, redrawn in place with {@code \r} five times a second. {@code jwren.progress} decides:
 * {@code auto} (draw only when there is a terminal), {@code always}, {@code never}.
 */
final class ProgressBar {
    static final String KEY = "jwren.progress";
    static final long FIRST_DRAW_MS = 1000;
    static final long REDRAW_MS = 200;
    private static final int BAR_WIDTH = 24;

    private final String jobId;
    private final Supplier<JobStatus> status;
    private final ScheduledExecutorService scheduler;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private int lastLength;

    private ProgressBar(String jobId, Supplier<JobStatus> status, ScheduledExecutorService scheduler, PrintStream out) {
        this.jobId = jobId;
        this.status = status;
        this.scheduler = scheduler;
        this.out = out;
    }

    /** Whether to draw, from {@code jwren.progress} and whether stderr is (likely) a terminal. */
    static boolean enabled(String mode, boolean terminal) {
        return switch (mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> terminal;
            case "always", "true" -> true;
            case "never", "false" -> false;
            default -> throw new IllegalArgumentException(KEY + " must be auto, always or never, was '" + mode + "'");
        };
    }

    /** A terminal is near when the JVM has a console: the best JDK 17 offers without native code. */
    static boolean terminal() {
        return System.console() != null;
    }

    /** Draws the progress of a job from a second after now until it finishes, unless it finishes first. */
    static void follow(String jobId, Supplier<JobStatus> status, ScheduledExecutorService scheduler, PrintStream out) {
        new ProgressBar(jobId, status, scheduler, out).schedule(FIRST_DRAW_MS);
    }

    private void schedule(long delayMs) {
        try {
            scheduler.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            if (lastLength > 0) out.println();
        }
    }

    private void tick() {
        JobStatus s = status.get();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (s.finished() && lastLength == 0) return; // done within the first second: stay silent
        String line = line(jobId, s, elapsedMs);
        StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) sb.append(' ');
        lastLength = line.length();
        if (s.finished()) sb.append(System.lineSeparator());
        out.print(sb);
        out.flush();
        if (!s.finished()) schedule(REDRAW_MS);
    }

    /** The text of one redraw, e.g. {@code job [#####-----] 50/100 ok 49 failed 1 running 8 12.5/s ETA 0:04}. */
    static String line(String jobId, JobStatus s, long elapsedMs) {
        int filled = s.calls() == 0 ? BAR_WIDTH : (int) ((long) s.done() * BAR_WIDTH / s.calls());
        String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        double rate = elapsedMs <= 0 ? 0 : s.done() * 1000.0 / elapsedMs;
        String eta;
        if (s.finished()) eta = "in " + clock(elapsedMs / 1000);
        else if (rate <= 0) eta = "ETA --:--";
        else eta = "ETA " + clock((long) Math.ceil((s.calls() - s.done()) / rate));
        return String.format(Locale.ROOT, "%s [%s] %d/%d ok %d failed %d running %d %.1f/s %s", jobId, bar, s.done(),
                s.calls(), s.succeeded(), s.failed(), s.finished() ? 0 : s.running(), rate, eta);
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}

package io.jwren;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A summary of one map, from {@link MapFuture#stats()}: counts, timings, workers and, for backends billed
 * per GB-second, an estimated cost. Taken while calls still run, it covers the calls done so far.
 *
 * @param jobId          the map's job id
 * @param calls          calls in the map
 * @param succeeded      calls that returned a value
 * @param failed         calls that threw, timed out or lost their worker (cancelled ones are not counted)
 * @param retried        calls whose result came from a retry or a speculative copy (attempt &gt; 0)
 * @param invocations    invocations the map was split into
 * @param attempts       invocation runs started: invocations plus retries plus speculative copies
 * @param wall           from the first submit to the last call's end, over the calls done
 * @param callTime       the calls' run times added up
 * @param p50            median call run time (nearest rank, failed calls included)
 * @param p95            95th percentile call run time (nearest rank, failed calls included)
 * @param callsPerWorker calls done per worker id, by worker id
 * @param callStats      one entry per call done, by index
 * @param memoryMb       memory per worker in MiB: the backend's fixed size (a deployed Lambda's) or the map's
 * @param gbSeconds      memory in GB × billed duration, summed over invocations; empty unless billed per GB-second
 * @param estimatedCostUsd gbSeconds × {@code jwren.lambda.price-per-gb-s}; empty unless billed per GB-second
 */
public record JobStats(String jobId, int calls, int succeeded, int failed, int retried, int invocations, int attempts,
                       Duration wall, Duration callTime, Duration p50, Duration p95, Map<String, Integer> callsPerWorker,
                       List<CallStats> callStats, int memoryMb, OptionalDouble gbSeconds, OptionalDouble estimatedCostUsd) {

    /**
     * Copies the map and the list, so the record is immutable.
     *
     * @param jobId            see {@link #jobId()}
     * @param calls            see {@link #calls()}
     * @param succeeded        see {@link #succeeded()}
     * @param failed           see {@link #failed()}
     * @param retried          see {@link #retried()}
     * @param invocations      see {@link #invocations()}
     * @param attempts         see {@link #attempts()}
     * @param wall             see {@link #wall()}
     * @param callTime         see {@link #callTime()}
     * @param p50              see {@link #p50()}
     * @param p95              see {@link #p95()}
     * @param callsPerWorker   see {@link #callsPerWorker()}
     * @param callStats        see {@link #callStats()}
     * @param memoryMb         see {@link #memoryMb()}
     * @param gbSeconds        see {@link #gbSeconds()}
     * @param estimatedCostUsd see {@link #estimatedCostUsd()}
     */
    public JobStats {
        callsPerWorker = Map.copyOf(callsPerWorker);
        callStats = List.copyOf(callStats);
    }

    /** {@return the calls done so far, successfully or not} */
    public int done() {
        return succeeded + failed;
    }

    /** {@return the calls done that belong to the first invocation of their worker (see {@link CallStats#coldStart()})} */
    public int coldStarts() {
        return (int) callStats.stream().filter(CallStats::coldStart).count();
    }

    /** {@return the calls' thread CPU time on their workers, added up} */
    public Duration cpuTime() {
        return Duration.ofNanos(callStats.stream().mapToLong(c -> c.cpuTime().toNanos()).sum());
    }

    /** {@return the share of the calls' run time their threads spent on a CPU: {@link #cpuTime()} over {@link #callTime()}} */
    public double cpuShare() {
        return callTime.isZero() ? 0 : (double) cpuTime().toNanos() / callTime.toNanos();
    }

    /** {@return the bytes the calls' threads allocated on their workers, added up} */
    public long allocatedBytes() {
        return callStats.stream().mapToLong(CallStats::allocatedBytes).sum();
    }

    /** {@return the times workers ran a call again for a {@link MapOptions#retryOn()} type, over all calls done} */
    public int reruns() {
        return callStats.stream().mapToInt(CallStats::reruns).sum();
    }

    /**
     * Writes a timeline of the calls as a PNG of 1200 × 700 pixels: one row per call, a bar from its start to
     * its end (blue if it succeeded, red if it failed) after a grey line for its wait since submit;
     * the bar's lower half is dark over the share of its run time the call spent on a CPU, and an orange mark before
     * it shows a cold start; x is seconds since the map was submitted. Runs headless: no display is needed.
     *
     * @param png where to write the image; missing parent directories are created
     * @return {@code png}
     * @throws IOException if the file cannot be written
     */
    public Path plotTimeline(Path png) throws IOException {
        return plotTimeline(png, 1200, 700);
    }

    /**
     * {@link #plotTimeline(Path)} at a size of your choosing.
     *
     * @param png    where to write the image; missing parent directories are created
     * @param width  width in pixels, at least 400
     * @param height height in pixels, at least 300
     * @return {@code png}
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if the image would be smaller than 400 × 300
     */
    public Path plotTimeline(Path png, int width, int height) throws IOException {
        TimelinePlot.write(this, png, width, height);
        return png;
    }

    /**
     * A few lines for a log or a terminal: counts, times, CPU time and share, allocation, cold starts and re-runs,
     * workers, and the cost where it is billed.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("job ").append(jobId).append(": ").append(calls).append(" calls, ").append(succeeded).append(" ok, ")
                .append(failed).append(" failed, ").append(retried).append(" retried; ").append(invocations)
                .append(" invocations, ").append(attempts).append(" attempts\n");
        sb.append("wall ").append(seconds(wall)).append(", call time ").append(seconds(callTime))
                .append(" in all, per call p50 ").append(seconds(p50)).append(" p95 ").append(seconds(p95)).append('\n');
        sb.append("cpu ").append(seconds(cpuTime())).append(String.format(Locale.ROOT, " (%.0f%% of call time)", 100 * cpuShare()))
                .append(", allocated ").append(String.format(Locale.ROOT, "%.1f MB", allocatedBytes() / 1e6))
                .append(", cold starts ").append(coldStarts()).append(", re-runs ").append(reruns()).append('\n');
        sb.append("workers ").append(callsPerWorker.size()).append(':');
        callsPerWorker.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(12)
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        if (callsPerWorker.size() > 12) sb.append(" ...");
        if (gbSeconds.isPresent()) {
            sb.append('\n').append(String.format(Locale.ROOT, "cost: %.3f GB-s at %d MB, about %.6f USD",
                    gbSeconds.getAsDouble(), memoryMb, estimatedCostUsd.orElse(0)));
        }
        return sb.toString();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}

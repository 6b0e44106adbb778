package io.jwren.engine;

import io.jwren.CallStats;
import io.jwren.JobStats;
import io.jwren.spi.Billing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Builds a {@link JobStats} from the call futures of a {@link MapJob}. */
final class JobStatsCollector {
    static final String PRICE_KEY = "jwren.lambda.price-per-gb-s";
    /** AWS Lambda's published x86 price per GB-second (first tier), USD. */
    static final double DEFAULT_PRICE_PER_GB_S = 0.0000166667;

    private JobStatsCollector() {}

    static JobStats collect(MapJob job, double pricePerGbS) {
        List<CallStats> done = new ArrayList<>();
        for (CallFutureImpl<Object> c : job.callFutures()) {
            CallStats st = c.stats();
            if (st != null) done.add(st);
        }
        int failed = 0;
        int retried = 0;
        long callNanos = 0;
        Instant first = null;
        Instant last = null;
        Map<String, Integer> perWorker = new TreeMap<>();
        long[] durations = new long[done.size()];
        for (int i = 0; i < done.size(); i++) {
            CallStats st = done.get(i);
            if (st.failed()) failed++;
            if (st.attempt() > 0) retried++;
            durations[i] = st.duration().toNanos();
            callNanos += durations[i];
            if (first == null || st.submitted().isBefore(first)) first = st.submitted();
            if (last == null || st.finished().isAfter(last)) last = st.finished();
            perWorker.merge(st.workerId(), 1, Integer::sum);
        }
        java.util.Arrays.sort(durations);
        OptionalDouble gbs = OptionalDouble.empty();
        OptionalDouble cost = OptionalDouble.empty();
        int memoryMb = job.backend().workerMemoryMb().orElse(job.memoryMb());
        if (job.backend().billing() == Billing.PER_GB_SECOND) {
            double g = gbSeconds(job, done, memoryMb);
            gbs = OptionalDouble.of(g);
            cost = OptionalDouble.of(g * pricePerGbS);
        }
        return new JobStats(job.jobId(), job.calls(), done.size() - failed, failed, retried, job.invocations(),
                job.attemptsStarted(), first == null ? Duration.ZERO : Duration.between(first, last),
                Duration.ofNanos(callNanos), Duration.ofNanos(percentile(durations, 50)),
                Duration.ofNanos(percentile(durations, 95)), perWorker, done, memoryMb, gbs, cost);
    }

    /**
     * Memory in GB × billed duration, over every invocation run that delivered results: its duration is
     * from its first call's start to its last call's end on the worker, in whole milliseconds as Lambda
     * bills. Runs that left no result (a lost worker) and start-up time are not seen, so this is a floor.
     */
    static double gbSeconds(MapJob job, List<CallStats> done, int memoryMb) {
        Map<Long, long[]> runs = new HashMap<>(); // (invocation, attempt) -> {first start, last end}
        for (CallStats st : done) {
            if ("none".equals(st.workerId())) continue; // failed without a worker: nothing ran, nothing billed
            long key = ((long) job.invocationOf(st.index()) << 16) | st.attempt();
            long[] span = runs.computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            span[0] = Math.min(span[0], st.started().toEpochMilli());
            span[1] = Math.max(span[1], st.finished().toEpochMilli());
        }
        double gb = memoryMb / 1024.0;
        double total = 0;
        for (long[] span : runs.values()) total += gb * Math.max(1, span[1] - span[0]) / 1000.0;
        return total;
    }

    /** Nearest-rank percentile of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}

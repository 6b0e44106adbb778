package io.jwren.engine;

import io.jwren.Config;
import io.jwren.MapOptions;
import io.jwren.Speculation;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.RetryPolicy;
import io.jwren.spi.Invocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a map's calls into invocations. Unless the map or the config fixes a chunk size, it aims at
 * four invocations per worker: enough to balance uneven calls, few enough that per-invocation costs
 * (a JVM hop, two storage reads and a write) stay small against the calls.
 */
final class InvocationPlanner {
    static final int INVOCATIONS_PER_WORKER = 4;

    private final Config config;

    InvocationPlanner(Config config) {
        this.config = config;
    }

    int chunkSize(MapOptions options, int calls, int workers) {
        int fixed = options.chunkSize() != null ? options.chunkSize() : config.getInt("jwren.chunk-size", 0);
        if (fixed > 0) return fixed;
        int target = Math.max(1, workers) * INVOCATIONS_PER_WORKER;
        return Math.max(1, (calls + target - 1) / target);
    }

    JobPlan plan(String jobId, int calls, MapOptions options, int workers, InputsCodec.Encoded inputs, Duration backendGrace) {
        int chunk = chunkSize(options, calls, workers);
        List<Invocation> invocations = new ArrayList<>((calls + chunk - 1) / chunk);
        for (int first = 0, n = 0; first < calls; first += chunk, n++) {
            int count = Math.min(chunk, calls - first);
            long offset = inputs == null ? -1 : inputs.offset(first);
            long length = inputs == null ? -1 : inputs.length(first, count);
            invocations.add(new Invocation(jobId, n, first, count, 0, offset, length));
        }
        Duration timeout = options.timeout() != null ? options.timeout()
                : config.getDuration("jwren.timeout", Duration.ofMinutes(10));
        int retries = options.retries() != null ? options.retries() : config.getInt("jwren.retries", 2);
        int memory = options.memoryMb() != null ? options.memoryMb() : config.getInt("jwren.memory", 1024);
        Duration grace = config.getDuration("jwren.timeout-grace", backendGrace);
        Speculation speculation = options.speculation() != null ? options.speculation() : Speculation.from(config);
        RetryPolicy retry = options.retryOn().isEmpty() ? RetryPolicy.NONE
                : new RetryPolicy(options.retryOn().stream().map(Class::getName).toList(), retries,
                        options.backoffInitial().toMillis(), options.backoffMax().toMillis());
        return new JobPlan(jobId, calls, chunk, List.copyOf(invocations), timeout, grace, retries, memory, speculation, retry);
    }
}

package io.jwren.engine;

import io.jwren.Speculation;
import io.jwren.engine.protocol.RetryPolicy;
import io.jwren.spi.Invocation;

import java.time.Duration;
import java.util.List;

/** Everything decided about a map before it starts: its invocations and the settings that govern them. */
record JobPlan(String jobId, int calls, int chunkSize, List<Invocation> invocations, Duration callTimeout,
               Duration timeoutGrace, int retries, int memoryMb, Speculation speculation, RetryPolicy retry) {
    JobPlan {
        if (retry == null) retry = RetryPolicy.NONE;
    }

    /** A plan whose calls are never re-run on their worker. */
    JobPlan(String jobId, int calls, int chunkSize, List<Invocation> invocations, Duration callTimeout,
            Duration timeoutGrace, int retries, int memoryMb, Speculation speculation) {
        this(jobId, calls, chunkSize, invocations, callTimeout, timeoutGrace, retries, memoryMb, speculation, RetryPolicy.NONE);
    }
}

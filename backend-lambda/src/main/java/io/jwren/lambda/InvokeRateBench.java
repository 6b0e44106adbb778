package io.jwren.lambda;

import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import io.jwren.spi.Storage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Event invokes per second one client issues: the lambda backend, its payloads, its bounded
 * concurrency and the SDK's Netty client, against a {@link LoopbackInvokeSink} that accepts at once.
 * Nothing runs behind the sink, so this measures the client side only (Lambda's own limits are
 * per-account concurrency and a burst rate, which no loopback sink can show).
 */
public final class InvokeRateBench {
    private InvokeRateBench() {}

    /** One measurement: {@code invokes} accepted in {@code nanos}. */
    public record Result(int invokes, int concurrency, long nanos) {
        public double perSecond() {
            return invokes * 1e9 / nanos;
        }
    }

    /**
     * Sends {@code warmup} invokes, then times {@code invokes} more, at most {@code concurrency} in flight, to a Lambda
     * Invoke endpoint that accepts them (a loopback sink: see the examples' bench).
     */
    public static Result run(java.net.URI endpoint, int warmup, int invokes, int concurrency) throws Exception {
        {
            LambdaSettings settings = new LambdaSettings("jwren-bench", null, "us-east-1", endpoint, concurrency,
                    Duration.ofMinutes(5), new InvokeBackoff(Duration.ofMillis(10), Duration.ofSeconds(1), 5),
                    61, Map.of("jwren.storage", "s3://jwren-bench/jwren", "jwren.s3.region", "us-east-1"), 1769);
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
            try (LambdaBackend backend = new LambdaBackend(LambdaClients.async(settings, credentials), true, settings,
                    Duration.ofMinutes(5))) {
                if (warmup > 0) send(backend, "bench-warm", warmup);
                long start = System.nanoTime();
                send(backend, "bench-run", invokes);
                return new Result(invokes, concurrency, System.nanoTime() - start);
            }
        }
    }

    private static void send(LambdaBackend backend, String jobId, int n) throws InterruptedException {
        CountDownLatch accepted = new CountDownLatch(n);
        AtomicInteger lost = new AtomicInteger();
        List<Invocation> invocations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) invocations.add(new Invocation(jobId, i, i * 10, 10, 0, i * 400L, 400));
        backend.submit(new BenchJob(jobId, n), invocations, new InvocationListener() {
            @Override
            public void started(Invocation invocation, String workerId) {
                accepted.countDown();
            }

            @Override
            public void completed(Invocation invocation) {}

            @Override
            public void lost(Invocation invocation, String reason) {
                lost.incrementAndGet();
                accepted.countDown();
            }
        });
        if (!accepted.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("the sink did not accept " + n + " invokes in 5 minutes");
        if (lost.get() > 0) throw new IllegalStateException(lost.get() + " of " + n + " invokes failed against the loopback sink");
        backend.cancel(jobId); // drops the loss timers
    }

    /** A job that exists only to be invoked. */
    private record BenchJob(String jobId, int invocations) implements JobSpec {
        @Override
        public int calls() {
            return invocations * 10;
        }

        @Override
        public Duration callTimeout() {
            return Duration.ofMinutes(10);
        }

        @Override
        public int memoryMb() {
            return 1024;
        }

        @Override
        public Storage storage() {
            return null;
        }

        @Override
        public void runInProcess(Invocation invocation, String workerId) {
            throw new UnsupportedOperationException("a benchmark job runs nowhere");
        }
    }
}

package io.jwren.lambda;

import io.jwren.testing.lambda.LoopbackInvokeSink;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend's invoke path against a loopback sink that throttles or fails a seeded share of invokes. */
class LambdaBackendThrottleTest {

    /** Collects what the backend reports. */
    static final class Recorder implements InvocationListener {
        final Map<Integer, AtomicInteger> started = new ConcurrentHashMap<>();
        final Map<Integer, String> lost = new ConcurrentHashMap<>();
        final CountDownLatch ended;

        Recorder(int n) {
            ended = new CountDownLatch(n);
        }

        @Override
        public void started(Invocation inv, String workerId) {
            started.computeIfAbsent(inv.number(), k -> new AtomicInteger()).incrementAndGet();
            ended.countDown();
        }

        @Override
        public void completed(Invocation inv) {}

        @Override
        public void lost(Invocation inv, String reason) {
            lost.put(inv.number(), reason);
            ended.countDown();
        }
    }

    record Job(String jobId) implements JobSpec {
        public int calls() { return 1; }
        public int invocations() { return 1; }
        public Duration callTimeout() { return Duration.ofMinutes(10); }
        public int memoryMb() { return 1024; }
        public Storage storage() { return null; }
        public void runInProcess(Invocation invocation, String workerId) { throw new UnsupportedOperationException(); }
    }

    private static LambdaBackend backend(LoopbackInvokeSink sink, int concurrency, int invokeRetries) {
        return backend(sink, concurrency, invokeRetries, StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static LambdaBackend backend(LoopbackInvokeSink sink, int concurrency, int invokeRetries,
                                         software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        LambdaSettings settings = new LambdaSettings("jwren-worker", "live", "us-east-1", sink.endpoint(), concurrency,
                Duration.ofMinutes(1), new InvokeBackoff(Duration.ofMillis(2), Duration.ofMillis(50), invokeRetries), 61,
                Map.of("jwren.storage", "s3://b/p"), 1769);
        return new LambdaBackend(LambdaClients.async(settings, credentials), true, settings, Duration.ofMinutes(1));
    }

    private static List<Invocation> invocations(String job, int n) {
        List<Invocation> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new Invocation(job, i, i, 1, 0, i * 8L, 8));
        return list;
    }

    @Test
    void throttledAndFailedInvokesAreRetriedUntilEachInvocationIsAcceptedExactlyOnce() throws Exception {
        Random random = new Random(7);
        AtomicInteger refused = new AtomicInteger();
        LoopbackInvokeSink.Responder responder = (fn, payload) -> {
            double r;
            synchronized (random) {
                r = random.nextDouble();
            }
            if (r < 0.4) {
                refused.incrementAndGet();
                return 429;
            }
            if (r < 0.5) {
                refused.incrementAndGet();
                return 503;
            }
            return 202;
        };
        int n = 300;
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.start(responder, 4); LambdaBackend backend = backend(sink, 16, 30)) {
            Recorder rec = new Recorder(n);
            backend.submit(new Job("t1"), invocations("t1", n), rec);
            assertTrue(rec.ended.await(60, TimeUnit.SECONDS), "not every invocation ended");
            assertEquals(Map.of(), rec.lost, "nothing lost");
            assertEquals(n, rec.started.size());
            assertTrue(rec.started.values().stream().allMatch(c -> c.get() == 1), "each accepted once");
            assertTrue(refused.get() > 100, "the sink refused " + refused.get());
            assertEquals(refused.get(), backend.invokesRetried(), "every refusal retried, nothing else");
            assertEquals(n + refused.get(), sink.requests());
            System.out.printf("throttling: %d of %d invokes refused (429/503) and retried, all %d accepted once%n",
                    refused.get(), sink.requests(), n);
        }
    }

    @Test
    void retriesAreBoundedThenTheInvocationIsReportedLostWithTheReason() throws Exception {
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.start((fn, p) -> 429, 2); LambdaBackend backend = backend(sink, 4, 3)) {
            Recorder rec = new Recorder(5);
            backend.submit(new Job("t2"), invocations("t2", 5), rec);
            assertTrue(rec.ended.await(30, TimeUnit.SECONDS));
            assertEquals(5, rec.lost.size());
            String reason = rec.lost.get(0);
            assertTrue(reason.contains("after 3 retries") && reason.contains("TooManyRequestsException"), reason);
            assertEquals(5 * 4, sink.requests(), "one try and three retries each");
        }
    }

    @Test
    void noCredentialsAnywhereIsSaidPlainlyAndNotRetried() throws Exception {
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.accepting();
             LambdaBackend backend = backend(sink, 4, 5, io.jwren.testing.s3.NoAwsCredentials.anywhere())) {
            Recorder rec = new Recorder(1);
            backend.submit(new Job("t5"), invocations("t5", 1), rec);
            assertTrue(rec.ended.await(30, TimeUnit.SECONDS));
            String reason = rec.lost.get(0);
            assertTrue(reason.contains("no AWS credentials found for the Lambda client"), reason);
            assertTrue(reason.contains("aws configure") && reason.contains("AWS_PROFILE"), reason);
            assertTrue(!reason.contains("after"), "not retried: " + reason);
            assertEquals(0, sink.requests(), "nothing reached the endpoint");
            assertEquals(0, backend.invokesRetried());
        }
    }

    @Test
    void aMissingFunctionIsNotRetried() throws Exception {
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.start((fn, p) -> 404, 2); LambdaBackend backend = backend(sink, 4, 5)) {
            Recorder rec = new Recorder(2);
            backend.submit(new Job("t3"), invocations("t3", 2), rec);
            assertTrue(rec.ended.await(30, TimeUnit.SECONDS));
            assertTrue(rec.lost.get(1).contains("ResourceNotFoundException"), rec.lost.get(1));
            assertEquals(2, sink.requests());
        }
    }

    @Test
    void noMoreThanTheConfiguredInvokesAreInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // The first three invokes are held until all three are in: that the backend does use its three permits
        // at once is then certain, not a matter of timing. (25 s: below the client's 30 s read timeout.)
        CountDownLatch firstThree = new CountDownLatch(3);
        LoopbackInvokeSink.Responder slow = (fn, p) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                firstThree.countDown();
                firstThree.await(25, TimeUnit.SECONDS);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return 202;
        };
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.start(slow, 16); LambdaBackend backend = backend(sink, 3, 0)) {
            Recorder rec = new Recorder(30);
            backend.submit(new Job("t4"), invocations("t4", 30), rec);
            assertTrue(rec.ended.await(60, TimeUnit.SECONDS));
            assertEquals(30, rec.started.size());
            assertEquals(3, most.get(), "invokes in flight at most");
        }
    }

    @Test
    void theInvokeRateBenchIssuesInvokesAgainstTheSink() throws Exception {
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.accepting()) {
            InvokeRateBench.Result r = InvokeRateBench.run(sink.endpoint(), 100, 500, 32);
            assertEquals(500, r.invokes());
            assertTrue(r.perSecond() > 0);
            assertTrue(sink.requests() >= 600, "warm-up and timed invokes reached the sink: " + sink.requests());
        }
    }
}

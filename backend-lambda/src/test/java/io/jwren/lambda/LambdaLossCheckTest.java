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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the backend reports when an accepted invoke's budget runs out: that it is lost, and why. It lists no
 * results: whether one came after all is the engine's to find. An aborted invocation reports nothing.
 */
class LambdaLossCheckTest {

    record ShortJob(String jobId, Storage storage, Duration callTimeout) implements JobSpec {
        public int calls() { return 3; }
        public int invocations() { return 3; }
        public int memoryMb() { return 1024; }
        public void runInProcess(Invocation invocation, String workerId) { throw new UnsupportedOperationException(); }
    }

    /**
     * A backend invoking "jwren-worker" through {@code sink}, with a grace of 600 ms: its loss check runs 300 ms
     * after timeout x calls (the engine's timer would run 300 ms later).
     */
    static LambdaBackend onSink(LoopbackInvokeSink sink, int maxConcurrentInvokes) {
        LambdaSettings settings = new LambdaSettings("jwren-worker", null, "us-east-1", sink.endpoint(), maxConcurrentInvokes,
                Duration.ofMillis(300), new InvokeBackoff(Duration.ofMillis(1), Duration.ofMillis(10), 3), 61, Map.of(), 1769);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        return new LambdaBackend(LambdaClients.async(settings, credentials), true, settings, Duration.ofMillis(600));
    }

    @Test
    void anInvocationPastItsBudgetIsReportedLostWithTheReasonAndAnAbortedOneIsSilent() throws Exception {
        Map<Integer, String> reports = new ConcurrentHashMap<>();
        CountDownLatch accepted = new CountDownLatch(3);
        CountDownLatch ended = new CountDownLatch(2);
        InvocationListener listener = new InvocationListener() {
            public void started(Invocation inv, String workerId) { accepted.countDown(); }
            public void completed(Invocation inv) { reports.put(inv.number(), "completed"); ended.countDown(); }
            public void lost(Invocation inv, String reason) { reports.put(inv.number(), "lost: " + reason); ended.countDown(); }
        };
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.accepting();
             LambdaBackend backend = onSink(sink, 4)) {
            List<Invocation> invs = List.of(new Invocation("job-L", 0, 0, 1, 0, -1, -1),
                    new Invocation("job-L", 1, 1, 2, 1, -1, -1), new Invocation("job-L", 2, 3, 1, 0, -1, -1));
            // Invocation 2, the one aborted, has a 10-minute budget: its check cannot fire before the abort removes it.
            backend.submit(new ShortJob("job-L", null, Duration.ofMillis(100)), invs.subList(0, 2), listener);
            backend.submit(new ShortJob("job-L", null, Duration.ofMinutes(10)), invs.subList(2, 3), listener);
            assertTrue(accepted.await(60, TimeUnit.SECONDS));
            backend.abort(invs.get(2));
            assertTrue(ended.await(60, TimeUnit.SECONDS));
            // The abort removed invocation 2's loss check: with none left scheduled, nothing more can report.
            assertEquals(0, backend.pendingLossChecks(), "the aborted invocation's loss check is still scheduled");
            assertEquals("lost: no result from Lambda function jwren-worker 0 s after the invoke of attempt 1 was accepted",
                    reports.get(0));
            assertTrue(reports.get(1).startsWith("lost: no result from Lambda function jwren-worker")
                    && reports.get(1).endsWith("attempt 2 was accepted"), reports.get(1));
            assertEquals(2, reports.size(), "the aborted invocation reports nothing: " + reports);
        }
    }
}

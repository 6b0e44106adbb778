package io.jwren.lambda;

import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.testing.lambda.LoopbackInvokeSink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend holds nothing for a job once it has ended: jobs finished while their loss checks were still
 * scheduled, jobs whose loss checks had run, and cancelled jobs all leave no entry.
 */
class LambdaJobStateTest {
    private static final int JOBS_EACH_WAY = 100;

    @Test
    void finishedCheckedAndCancelledJobsLeaveNothingBehind() throws Exception {
        int invocations = 3 * JOBS_EACH_WAY * 2;
        CountDownLatch accepted = new CountDownLatch(invocations);
        CountDownLatch checked = new CountDownLatch(JOBS_EACH_WAY * 2);
        InvocationListener listener = new InvocationListener() {
            public void started(Invocation inv, String workerId) { accepted.countDown(); }
            public void completed(Invocation inv) { checked.countDown(); }
            public void lost(Invocation inv, String reason) { checked.countDown(); }
        };
        try (LoopbackInvokeSink sink = LoopbackInvokeSink.accepting()) {
            try (LambdaBackend backend = LambdaLossCheckTest.onSink(sink, 16)) {
                // "finished": ended with loss checks 10 minutes away; "checked": a 100 ms budget, so their loss checks
                // run before they end; "cancelled": cancelled once accepted.
                for (String kind : List.of("finished", "checked", "cancelled")) {
                    Duration timeout = kind.equals("checked") ? Duration.ofMillis(100) : Duration.ofMinutes(10);
                    for (int j = 0; j < JOBS_EACH_WAY; j++) {
                        String jobId = kind + "-" + j;
                        backend.submit(new LambdaLossCheckTest.ShortJob(jobId, null, timeout),
                                List.of(new Invocation(jobId, 0, 0, 1, 0, -1, -1), new Invocation(jobId, 1, 1, 1, 0, -1, -1)),
                                listener);
                    }
                }
                assertTrue(accepted.await(60, TimeUnit.SECONDS), "invokes not accepted: " + accepted.getCount());
                assertTrue(checked.await(60, TimeUnit.SECONDS), "loss checks not run: " + checked.getCount());
                assertEquals(3 * JOBS_EACH_WAY, backend.heldJobs());
                assertEquals(4 * JOBS_EACH_WAY, backend.pendingLossChecks(), "the finished and cancelled jobs' checks");

                for (int j = 0; j < JOBS_EACH_WAY; j++) {
                    backend.jobFinished("finished-" + j);
                    backend.jobFinished("checked-" + j);
                    backend.cancel("cancelled-" + j);
                }
                assertEquals(0, backend.heldJobs(), "jobs still held after they ended");
                assertEquals(0, backend.pendingLossChecks(), "loss checks still scheduled for ended jobs");
            }
        }
    }
}

package io.jwren.lambda;

import io.jwren.spi.Backend;
import io.jwren.spi.Billing;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import software.amazon.awssdk.core.SdkBytes;
import io.jwren.s3.MissingAwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jwren.backend=lambda}: each invocation (chunk of calls) is one asynchronous ({@code Event})
 * invoke of the deployed worker function, whose payload names the job, the calls and their byte range
 * of the inputs. At most {@code jwren.lambda.max-concurrent-invokes} Invoke requests are in flight; the
 * rest wait in a queue.
 *
 * <p>Lambda does not say when an Event invoke finishes, so the engine learns completion by listing
 * {@code results/} ({@link #reportsCompletion()} is false); this backend lists nothing. An accepted
 * invoke (202) counts as started. {@code timeout × calls + jwren.lambda.grace} after that the invocation is
 * reported lost; unless the engine then finds its result object, it invokes it again with the next attempt,
 * up to {@code jwren.retries}, then its calls fail with {@code WorkerLostException}. The engine's own timer
 * ({@link #timeoutGrace()}) is set a little later as a backstop.
 *
 * <p>Throttling (429) and 5xx answers, and connection errors, are retried here with {@link InvokeBackoff}
 * (exponential backoff, full jitter), without spending the engine's retries. Lambda's own retries of a
 * failed asynchronous invocation may run it again: results are first-wins, so nothing counts twice.
 */
final class LambdaBackend implements Backend {
    /** The engine's timer fires this much after ours, so that a missing result is reported as lost. */
    static final Duration BACKSTOP = Duration.ofSeconds(5);

    private final LambdaAsyncClient client;
    private final boolean ownsClient;
    private final LambdaSettings settings;
    private final Duration lossGrace;
    private final Semaphore permits;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler;
    /** The jobs between their first submit and their end (finished or cancelled): everything held for one. */
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final AtomicLong invokes = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean closed;
    private final String signingKey;

    /** One invoke to make: its invocation, and how often Invoke has already been retried for it. */
    private record Pending(JobSpec job, Invocation invocation, InvocationListener listener, int retries) {}

    /**
     * @param timeoutGrace the grace the engine applies ({@code jwren.timeout-grace}, else {@link #timeoutGrace()});
     *                     the loss check runs {@link #BACKSTOP} (or half the grace, if less) before it
     */
    LambdaBackend(LambdaAsyncClient client, boolean ownsClient, LambdaSettings settings, Duration timeoutGrace) {
        this(client, ownsClient, settings, timeoutGrace, null);
    }

    /** @param signingKey the executor's key (base64), sent in each invoke's payload; null to run jobs unsigned */
    LambdaBackend(LambdaAsyncClient client, boolean ownsClient, LambdaSettings settings, Duration timeoutGrace,
                  String signingKey) {
        this.signingKey = signingKey;
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        Duration margin = BACKSTOP.compareTo(timeoutGrace.dividedBy(2)) < 0 ? BACKSTOP : timeoutGrace.dividedBy(2);
        this.lossGrace = timeoutGrace.minus(margin);
        this.permits = new Semaphore(settings.maxConcurrentInvokes());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jwren-lambda-timers");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean reportsCompletion() {
        return false;
    }

    /** The key travels in each invoke's payload: Lambda's channel, never storage or the function's configuration. */
    @Override
    public boolean handsSigningKey() {
        return signingKey != null;
    }

    @Override
    public int maxClassFileMajor() {
        return settings.workerJavaMajor();
    }

    /** Lambda bills memory × duration; the memory is the deployed function's, whatever the map asked. */
    @Override
    public Billing billing() {
        return Billing.PER_GB_SECOND;
    }

    @Override
    public OptionalInt workerMemoryMb() {
        return OptionalInt.of(settings.memoryMb());
    }

    @Override
    public Duration timeoutGrace() {
        return settings.grace().plus(BACKSTOP);
    }

    @Override
    public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
        if (closed) throw new IllegalStateException("the lambda backend is closed");
        // an oversized payload is refused before anything is sent or held
        for (Invocation inv : invocations) LambdaPayload.encode(inv, settings.workerConfig(), signingKey);
        jobs.computeIfAbsent(job.jobId(), id -> new JobState());
        for (Invocation inv : invocations) queue.add(new Pending(job, inv, listener, 0));
        pump();
    }

    /** Sends queued invokes while permits last. Called on submit and whenever an invoke ends. */
    private void pump() {
        while (!closed && permits.tryAcquire()) {
            Pending p = queue.poll();
            if (p == null) {
                permits.release();
                if (queue.isEmpty()) return; // else a submit raced with us: go round again
                continue;
            }
            if (!jobs.containsKey(p.invocation().jobId())) { // ended while it waited
                permits.release();
                continue;
            }
            send(p);
        }
    }

    private void send(Pending p) {
        InvokeRequest.Builder request = InvokeRequest.builder()
                .functionName(settings.function())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromByteArrayUnsafe(LambdaPayload.encode(p.invocation(), settings.workerConfig(), signingKey)));
        if (settings.qualifier() != null) request.qualifier(settings.qualifier());
        invokes.incrementAndGet();
        try {
            client.invoke(request.build()).whenComplete((response, error) -> {
                permits.release();
                try {
                    answered(p, response, error);
                } finally {
                    pump();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            answered(p, null, e);
        }
    }

    private void answered(Pending p, InvokeResponse response, Throwable error) {
        Invocation inv = p.invocation();
        JobState job = jobs.get(inv.jobId());
        if (job == null || closed) return;
        if (error == null && response.statusCode() / 100 == 2) {
            accepted.incrementAndGet();
            armLossTimer(job, p); // before started: an abort made once started is seen finds the timer
            p.listener().started(inv, "lambda:" + settings.function());
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        int status = cause instanceof SdkServiceException s ? s.statusCode() : cause == null ? response.statusCode() : -1;
        boolean noCredentials = MissingAwsCredentials.isCause(cause);
        boolean retryable = !noCredentials && (cause instanceof SdkClientException || InvokeBackoff.retryableStatus(status));
        String what = noCredentials ? MissingAwsCredentials.explain("the Lambda client")
                : cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "HTTP " + status;
        if (retryable && settings.backoff().allows(p.retries())) {
            retried.incrementAndGet();
            long delay = settings.backoff().delayMs(p.retries(), ThreadLocalRandom.current());
            Pending again = new Pending(p.job(), inv, p.listener(), p.retries() + 1);
            schedule(() -> {
                queue.add(again);
                pump();
            }, delay);
            return;
        }
        p.listener().lost(inv, "invoke of Lambda function " + settings.function() + " failed"
                + (retryable ? " after " + p.retries() + " retries" : "") + ": " + what);
    }

    private void armLossTimer(JobState job, Pending p) {
        Invocation inv = p.invocation();
        long budgetMs = p.job().callTimeout().toMillis() * inv.callCount() + lossGrace.toMillis();
        ScheduledFuture<?> timer = schedule(() -> checkLost(p), budgetMs);
        if (timer == null) return;
        ScheduledFuture<?> old = job.lossTimers.put(inv, timer);
        if (old != null) old.cancel(false);
        if (jobs.get(inv.jobId()) != job) job.dropTimers(); // the job ended meanwhile
    }

    /**
     * Runs when an accepted invoke's budget is spent: it is reported lost. Whether a result came after all is
     * the engine's to find out (it watches the results; a result found now completes the invocation).
     */
    private void checkLost(Pending p) {
        Invocation inv = p.invocation();
        JobState job = jobs.get(inv.jobId());
        if (job == null || closed) return;
        job.lossTimers.remove(inv);
        long seconds = (p.job().callTimeout().toMillis() * inv.callCount() + lossGrace.toMillis()) / 1000;
        p.listener().lost(inv, "no result from Lambda function " + settings.function() + " " + seconds
                + " s after the invoke of attempt " + (inv.attempt() + 1) + " was accepted");
    }

    /** What is held for one job: its loss checks, by invocation attempt. */
    private static final class JobState {
        private final Map<Invocation, ScheduledFuture<?>> lossTimers = new ConcurrentHashMap<>();

        void dropTimers() {
            lossTimers.values().removeIf(t -> {
                t.cancel(false);
                return true;
            });
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // closed
        }
    }

    /** Lambda cannot stop a running invocation; its result, if it comes, is ignored. */
    @Override
    public void abort(Invocation invocation) {
        JobState job = jobs.get(invocation.jobId());
        ScheduledFuture<?> t = job == null ? null : job.lossTimers.remove(invocation);
        if (t != null) t.cancel(false);
    }

    /** Invokes not yet sent are dropped; those in flight, and runs under way, report nothing more. */
    @Override
    public void cancel(String jobId) {
        jobFinished(jobId);
    }

    @Override
    public void jobFinished(String jobId) {
        JobState job = jobs.remove(jobId);
        queue.removeIf(p -> p.invocation().jobId().equals(jobId));
        if (job != null) job.dropTimers();
    }

    /** Loss checks still scheduled; none means nothing more will be reported for accepted invokes. For tests. */
    int pendingLossChecks() {
        return jobs.values().stream().mapToInt(j -> j.lossTimers.size()).sum();
    }

    /** Jobs this backend holds anything for; for tests. */
    int heldJobs() {
        return jobs.size();
    }

    /** Invoke requests sent, accepted (2xx) and retried after a throttle or failure; for tests and the bench. */
    long invokesSent() {
        return invokes.get();
    }

    long invokesAccepted() {
        return accepted.get();
    }

    long invokesRetried() {
        return retried.get();
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        scheduler.shutdownNow();
        jobs.clear();
        if (ownsClient) client.close();
    }
}

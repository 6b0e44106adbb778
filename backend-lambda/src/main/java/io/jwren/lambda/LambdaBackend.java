package io.jwren.lambda;

import io.jwren.engine.protocol.InlineJob;
import io.jwren.spi.Backend;
import io.jwren.spi.Billing;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import software.amazon.awssdk.core.SdkBytes;
import io.jwren.s3.MissingAwsCredentials;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
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
 *
 * <p>A small job (function and inputs within {@code jwren.lambda.inline-limit}, at most
 * {@code jwren.lambda.sync-invocations} invocations) is handed over inline ({@link JobSpec#inlineJob()}): each
 * invoke carries the manifest, the function and that invocation's inputs, and is synchronous (RequestResponse), so
 * its answer says when it finished and carries the result object the worker stored ({@link #reportsCompletion(JobSpec)}
 * is true for it: the engine lists nothing). An answer that never comes (a client timeout after
 * {@code timeout × calls + jwren.lambda.grace}, a dropped connection), a function error or an answer that is not
 * the handler's is reported lost, and the engine looks for the result object in storage before it runs the
 * invocation again. Lambda does not retry synchronous invokes itself.
 */
final class LambdaBackend implements Backend {
    /** The engine's timer fires this much after ours, so that a missing result is reported as lost. */
    static final Duration BACKSTOP = Duration.ofSeconds(5);
    /** How long an Event invoke, which Lambda answers at once (202), may take before it is retried. */
    static final Duration EVENT_CALL_TIMEOUT = Duration.ofSeconds(30);

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
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean closed;
    private final String signingKey;

    /**
     * One invoke to make: its invocation, how often Invoke has already been retried for it, and for a synchronous
     * invoke its payload (the job inline; null for an Event invoke, whose small payload is made when it is sent).
     */
    private record Pending(JobSpec job, Invocation invocation, InvocationListener listener, int retries, byte[] payload) {
        boolean sync() {
            return payload != null;
        }

        Pending retry() {
            return new Pending(job, invocation, listener, retries + 1, payload);
        }
    }

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

    /** A small job's invokes are synchronous: each answer reports its invocation's end. */
    @Override
    public boolean reportsCompletion(JobSpec job) {
        return job.inlineJob() != null;
    }

    /** Function and inputs up to {@code jwren.lambda.inline-limit} travel in the payloads of a small job. */
    @Override
    public long inlineLimit() {
        return settings.syncInvocations() > 0 ? settings.inlineLimit() : 0;
    }

    /** Only jobs of at most {@code jwren.lambda.sync-invocations} invocations: every payload repeats the function. */
    @Override
    public long inlineLimit(int invocations) {
        return invocations <= settings.syncInvocations() ? inlineLimit() : 0;
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
        JobState state = jobs.get(job.jobId());
        InlineJob inline = job.inlineJob() == null ? null
                : state != null && state.inline != null ? state.inline : InlineJob.decode(job.jobId(), job.inlineJob());
        // an oversized payload is refused before anything is sent or held
        List<Pending> pending = new ArrayList<>(invocations.size());
        for (Invocation inv : invocations) {
            byte[] payload = null;
            if (inline == null) LambdaPayload.encode(inv, settings.workerConfig(), signingKey);
            else payload = inlinePayload(inline, inv);
            pending.add(new Pending(job, inv, listener, 0, payload));
        }
        state = jobs.computeIfAbsent(job.jobId(), id -> new JobState());
        if (inline != null) state.inline = inline;
        queue.addAll(pending);
        pump();
    }

    /**
     * The payload of a small job's invocation: the manifest, the function and only this invocation's inputs, which
     * its input offset (0) and length then index; a chained job's invocation (offset -1) carries no inputs.
     */
    private byte[] inlinePayload(InlineJob job, Invocation inv) {
        byte[] inputs = new byte[0];
        Invocation sent = inv;
        if (inv.inputOffset() >= 0) {
            inputs = Arrays.copyOfRange(job.inputs(), Math.toIntExact(inv.inputOffset()),
                    Math.toIntExact(inv.inputOffset() + inv.inputLength()));
            sent = new Invocation(inv.jobId(), inv.number(), inv.firstCall(), inv.callCount(), inv.attempt(), 0, inv.inputLength());
        }
        return LambdaPayload.encodeInline(sent, settings.workerConfig(), signingKey, new InlineJob(job.manifest(), job.function(), inputs).encode());
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
        Invocation inv = p.invocation();
        InvokeRequest.Builder request = InvokeRequest.builder().functionName(settings.function());
        if (p.sync()) {
            // Its answer comes when the function returns: allow the invocation's whole budget.
            Duration budget = Duration.ofMillis(budgetMs(p));
            request.invocationType(InvocationType.REQUEST_RESPONSE).payload(SdkBytes.fromByteArrayUnsafe(p.payload()))
                    .overrideConfiguration(o -> o.apiCallTimeout(budget));
        } else {
            request.invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArrayUnsafe(LambdaPayload.encode(inv, settings.workerConfig(), signingKey)))
                    .overrideConfiguration(o -> o.apiCallTimeout(EVENT_CALL_TIMEOUT));
        }
        if (settings.qualifier() != null) request.qualifier(settings.qualifier());
        invokes.incrementAndGet();
        // A synchronous invoke runs while its request is open: it has started once sent (again, after a throttle).
        if (p.sync() && p.retries() == 0) p.listener().started(inv, "lambda:" + settings.function());
        try {
            CompletableFuture<InvokeResponse> call = client.invoke(request.build());
            JobState state = p.sync() ? jobs.get(inv.jobId()) : null;
            if (state != null) state.inFlight.put(inv, call);
            call.whenComplete((response, error) -> {
                if (state != null) state.inFlight.remove(inv, call);
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

    /** {@code timeout × calls + grace}: how long an invocation may go without a result before it counts as lost. */
    private long budgetMs(Pending p) {
        return p.job().callTimeout().toMillis() * p.invocation().callCount() + lossGrace.toMillis();
    }

    private void answered(Pending p, InvokeResponse response, Throwable error) {
        Invocation inv = p.invocation();
        JobState job = jobs.get(inv.jobId());
        if (job == null || closed) return;
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) return; // aborted: nobody waits for it
        if (error == null && response.statusCode() / 100 == 2) {
            accepted.incrementAndGet();
            if (p.sync()) {
                answeredSync(p, response);
                return;
            }
            armLossTimer(job, p); // before started: an abort made once started is seen finds the timer
            p.listener().started(inv, "lambda:" + settings.function());
            return;
        }
        if (p.sync() && cause instanceof SdkClientException && !neverSent(cause)) {
            // The function may have run, and stored its result: the engine looks for it before running it again.
            p.listener().lost(inv, (cause instanceof ApiCallTimeoutException ? "no answer" : "the answer was lost: "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ";") + " from Lambda function "
                    + settings.function() + " " + budgetMs(p) / 1000 + " s after the synchronous invoke of attempt "
                    + (inv.attempt() + 1) + " was sent");
            return;
        }
        int status = cause instanceof SdkServiceException s ? s.statusCode() : cause == null ? response.statusCode() : -1;
        boolean noCredentials = MissingAwsCredentials.isCause(cause);
        boolean retryable = !noCredentials && (cause instanceof SdkClientException || InvokeBackoff.retryableStatus(status));
        String what = noCredentials ? MissingAwsCredentials.explain("the Lambda client")
                : cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "HTTP " + status;
        if (retryable && settings.backoff().allows(p.retries())) {
            retried.incrementAndGet();
            long delay = settings.backoff().delayMs(p.retries(), ThreadLocalRandom.current());
            Pending again = p.retry();
            schedule(() -> {
                queue.add(again);
                pump();
            }, delay);
            return;
        }
        p.listener().lost(inv, "invoke of Lambda function " + settings.function() + " failed"
                + (retryable ? " after " + p.retries() + " retries" : "") + ": " + what);
    }

    /**
     * The function's answer to a synchronous invoke: the invocation is done, with the result object when it came
     * along (else the engine reads it from storage); a function error (the handler threw, the function timed out)
     * or an answer that is not the handler's is a loss, which the engine checks against storage.
     */
    private void answeredSync(Pending p, InvokeResponse response) {
        Invocation inv = p.invocation();
        byte[] body = response.payload() == null ? new byte[0] : response.payload().asByteArrayUnsafe();
        String function = "Lambda function " + settings.function();
        if (response.functionError() != null) {
            p.listener().lost(inv, function + " failed (" + response.functionError() + ") in attempt " + (inv.attempt() + 1)
                    + ": " + excerpt(body));
            return;
        }
        LambdaPayload.Answer answer = LambdaPayload.decodeAnswer(body);
        if (answer == null) {
            p.listener().lost(inv, function + " answered attempt " + (inv.attempt() + 1) + " with "
                    + (body.length == 0 ? "an empty payload" : "no jwren answer: " + excerpt(body)));
            return;
        }
        answered.incrementAndGet();
        boolean same = answer.jobId().equals(inv.jobId()) && answer.invocation() == inv.number() && answer.attempt() == inv.attempt();
        p.listener().completed(inv, same ? answer.resultObject() : null);
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        return body.length > 500 ? text + "..." : text;
    }

    /** Whether the request cannot have reached Lambda: the connection was never made. */
    private static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof java.net.ConnectException) return true;
        return false;
    }

    private void armLossTimer(JobState job, Pending p) {
        Invocation inv = p.invocation();
        ScheduledFuture<?> timer = schedule(() -> checkLost(p), budgetMs(p));
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
        long seconds = budgetMs(p) / 1000;
        p.listener().lost(inv, "no result from Lambda function " + settings.function() + " " + seconds
                + " s after the invoke of attempt " + (inv.attempt() + 1) + " was accepted");
    }

    /**
     * What is held for one job: its loss checks and its synchronous invokes in flight, by invocation attempt, and a
     * small job's objects.
     */
    private static final class JobState {
        private final Map<Invocation, ScheduledFuture<?>> lossTimers = new ConcurrentHashMap<>();
        private final Map<Invocation, CompletableFuture<InvokeResponse>> inFlight = new ConcurrentHashMap<>();
        private volatile InlineJob inline;

        void dropTimers() {
            lossTimers.values().removeIf(t -> {
                t.cancel(false);
                return true;
            });
            inFlight.values().removeIf(call -> {
                call.cancel(true);
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

    /**
     * Lambda cannot stop a running invocation; its result, if it comes, is ignored. A synchronous invoke's request is
     * given up, which frees its place among the invokes in flight.
     */
    @Override
    public void abort(Invocation invocation) {
        JobState job = jobs.get(invocation.jobId());
        if (job == null) return;
        ScheduledFuture<?> t = job.lossTimers.remove(invocation);
        if (t != null) t.cancel(false);
        CompletableFuture<InvokeResponse> call = job.inFlight.remove(invocation);
        if (call != null) call.cancel(true);
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

    /** Synchronous invokes whose answer is awaited; for tests. */
    int syncInvokesInFlight() {
        return jobs.values().stream().mapToInt(j -> j.inFlight.size()).sum();
    }

    /** Synchronous invokes the handler answered (the invocation done); for tests. */
    long syncAnswers() {
        return answered.get();
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

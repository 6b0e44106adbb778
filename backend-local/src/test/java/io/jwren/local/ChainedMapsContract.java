package io.jwren.local;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.UpstreamFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code thenMap} on one backend and storage: results, no download of the first map's results by the client, a
 * second-stage call that starts while the first map still runs, failures carried through, attach. Subclasses say
 * where it runs and how reads of result objects are counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChainedMapsContract {
    /** An executor with two workers, for the whole class. */
    abstract Executor executor();

    /**
     * Asserts that the client has read no result object of {@code jobId} (it says how, since that differs between a
     * client-side counter and a server's) and returns the reads counted so far.
     */
    abstract long assertClientReadNoResult(String jobId);

    /** {@return reads of result objects of {@code jobId} counted so far, as {@link #assertClientReadNoResult} counts} */
    abstract long resultReads(String jobId);

    /** An executor on the same storage that runs nothing, to attach with; null where jobs live in no storage. */
    abstract Executor attacher();

    @TempDir
    Path scratch;

    @Test
    void chainedResultsAreTheCompositionAndTheClientDownloadsNoFirstStageResult() throws Exception {
        List<Integer> inputs = IntStream.range(0, 20).boxed().toList();
        MapFuture<Integer> first = executor().map((Integer x) -> x * 3, inputs, MapOptions.builder().chunkSize(5).build());
        MapFuture<String> second = first.thenMap(y -> "v" + (y + 1));
        assertEquals(inputs.stream().map(x -> "v" + (x * 3 + 1)).toList(), second.get(120, TimeUnit.SECONDS));
        long before = assertClientReadNoResult(first.jobId());
        // The first map's results stay the user's: asking for them downloads them now.
        assertEquals(inputs.stream().map(x -> x * 3).toList(), first.get(120, TimeUnit.SECONDS));
        if (attacher() != null) assertTrue(resultReads(first.jobId()) > before, "first.get() read no result object");
    }

    @Test
    void aChainOfThreeComposesAndToCompletableFutureGivesTheLastResults() throws Exception {
        MapFuture<Integer> first = executor().map((Integer x) -> x + 1, List.of(1, 2, 3, 4, 5, 6));
        List<Integer> out = first.thenMap(y -> y * 10).thenMap(z -> z - 1).toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        assertEquals(List.of(19, 29, 39, 49, 59, 69), out);
    }

    @Test
    void aSecondStageCallStartsWhileTheFirstMapIsStillRunning() throws Exception {
        Path signals = Files.createDirectories(scratch.resolve("signals"));
        String dir = signals.toString();
        MapFuture<Integer> first = executor().map((Integer x) -> {
            if (x == 1) FileSignals.waitFor(dir, "release");
            return x * 10;
        }, List.of(0, 1), MapOptions.builder().chunkSize(1).build());
        MapFuture<Integer> second = first.thenMap(y -> y + 1);
        // The first map's call 1 waits for the test, which releases it only once the second map's call 0 is done.
        assertEquals(1, second.calls().get(0).get(120, TimeUnit.SECONDS));
        assertFalse(first.calls().get(1).isDone(), "first-stage call 1 ended before it was released");
        FileSignals.create(signals, "release");
        assertEquals(List.of(1, 11), second.get(120, TimeUnit.SECONDS));
    }

    @Test
    void aFailedFirstStageCallFailsItsSecondStageCallWithTheFirstFailureAsCause() throws Exception {
        MapFuture<Integer> first = executor().map((Integer x) -> {
            if (x == 2) throw new IllegalStateException("boom at " + x);
            return x;
        }, List.of(0, 1, 2, 3), MapOptions.builder().chunkSize(2).build());
        MapFuture<Integer> second = first.thenMap(y -> y * 2);
        ExecutionException e = assertThrows(ExecutionException.class, () -> second.get(120, TimeUnit.SECONDS));
        UpstreamFailureException chained = assertInstanceOf(UpstreamFailureException.class, e.getCause(), e.toString());
        assertEquals(first.jobId(), chained.upstreamJobId());
        assertEquals(2, chained.callIndex());
        IllegalStateException original = assertInstanceOf(IllegalStateException.class, chained.getCause());
        assertEquals("boom at 2", original.getMessage());
        List<CallFuture<Integer>> calls = second.calls();
        assertEquals(List.of(0, 2, 6), List.of(calls.get(0).get(), calls.get(1).get(), calls.get(3).get()));
    }

    @Test
    void attachingToTheSecondJobReturnsItsResults() throws Exception {
        Executor other = attacher();
        if (other == null) return; // in-process jobs are in no storage: nothing to attach to
        MapFuture<Integer> first = executor().map((Integer x) -> x * x, List.of(1, 2, 3, 4, 5),
                MapOptions.builder().chunkSize(2).build());
        MapFuture<String> second = first.thenMap(y -> "#" + y);
        List<String> expected = List.of("#1", "#4", "#9", "#16", "#25");
        MapFuture<String> attached = other.attach(second.jobId());
        assertEquals(expected, attached.get(120, TimeUnit.SECONDS));
        assertEquals(expected, second.get(120, TimeUnit.SECONDS));
    }
}

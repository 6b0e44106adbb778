package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.UpstreamFailureException;
import io.jwren.WorkerLostException;
import io.jwren.engine.protocol.JobKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Chained maps on worker JVMs over a local directory, which the client opens through a counter of its own reads
 * ({@link CountingStorageProvider}); the workers open the directory itself.
 */
class ChainedMapsOnProcessesTest extends ChainedMapsContract {
    private final Path dir;
    private final Executor ex;
    private final Executor attacher;

    ChainedMapsOnProcessesTest() throws Exception {
        dir = Files.createTempDirectory("jwren-chained");
        ex = Executor.builder().backend("processes").storage("counting://" + dir.toUri().getPath())
                .property("jwren.workers", "2").property("jwren.retention", "0s")
                .property(SharedSigningKey.SETTING, SharedSigningKey.VALUE).build();
        attacher = Executor.builder().backend("stage-only").storage(dir.toUri().toString())
                .property("jwren.retention", "0s").property(SharedSigningKey.SETTING, SharedSigningKey.VALUE).build();
    }

    @AfterAll
    void close() {
        ex.close();
        attacher.close();
    }

    @Override
    Executor executor() {
        return ex;
    }

    @Override
    long assertClientReadNoResult(String jobId) {
        assertEquals(0, resultReads(jobId), "the client read result objects of " + jobId);
        return 0;
    }

    @Override
    long resultReads(String jobId) {
        return CountingStorageProvider.reads(JobKeys.resultsPrefix(jobId)) + CountingStorageProvider.reads(JobKeys.job(jobId) + "values/");
    }

    @Override
    Executor attacher() {
        return attacher;
    }

    @Test
    void aFirstStageValueTooBigForItsResultObjectReachesTheSecondStageFromItsValueObject() throws Exception {
        MapFuture<byte[]> first = ex.map((Integer mib) -> new byte[mib << 20], List.of(1, 6),
                MapOptions.builder().chunkSize(2).build());
        MapFuture<Integer> second = first.thenMap(bytes -> bytes.length);
        assertEquals(List.of(1 << 20, 6 << 20), second.get(120, TimeUnit.SECONDS));
        assertClientReadNoResult(first.jobId());
    }

    @Test
    void aFirstStageInvocationWhoseWorkerDiesFailsItsSecondStageCallsWithTheLoss() throws Exception {
        MapFuture<Integer> first = ex.map((Integer x) -> {
            if (x == 1) Runtime.getRuntime().halt(3);
            return x;
        }, List.of(0, 1), MapOptions.builder().chunkSize(1).retries(0).build());
        MapFuture<Integer> second = first.thenMap(y -> y + 100);
        ExecutionException e = assertThrows(ExecutionException.class, () -> second.get(120, TimeUnit.SECONDS));
        UpstreamFailureException chained = assertInstanceOf(UpstreamFailureException.class, e.getCause(), e.toString());
        assertEquals(1, chained.callIndex());
        assertInstanceOf(WorkerLostException.class, chained.getCause());
        assertEquals(100, second.calls().get(0).get());
    }
}

package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Completion learnt by listing results in storage, for backends that cannot report it. */
class ResultPollingTest {
    @TempDir
    Path storage;

    @Test
    void aMapCompletesFromListedResultsAlone() throws Exception {
        try (Executor ex = Executor.builder().backend("processes-silent").storage(storage.toUri().toString())
                .property("jwren.workers", "2").build()) {
            List<Integer> in = IntStream.range(0, 40).boxed().toList();
            MapFuture<Integer> f = ex.map((Integer x) -> x + 100, in, MapOptions.builder().chunkSize(3).build());
            assertEquals(in.stream().map(x -> x + 100).toList(), f.get(60, TimeUnit.SECONDS));
            assertEquals(40, f.status().succeeded());
        }
    }
}

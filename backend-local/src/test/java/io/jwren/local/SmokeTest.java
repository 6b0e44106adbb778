package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void threadsAndProcessesSquare() throws Exception {
        List<Integer> in = IntStream.range(0, 50).boxed().toList();
        List<Integer> want = in.stream().map(x -> x * x + 1).toList();
        for (String backend : List.of("threads", "processes")) {
            try (Executor ex = Executor.builder().backend(backend).storage(dir.toUri().toString()).build()) {
                int k = 1;
                MapFuture<Integer> f = ex.map((Integer x) -> x * x + k, in, MapOptions.builder().chunkSize(7).build());
                assertEquals(want, f.get(), backend);
            }
        }
    }
}

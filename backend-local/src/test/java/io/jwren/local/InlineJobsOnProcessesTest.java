package io.jwren.local;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.engine.protocol.JobKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small jobs on the processes backend travel to the worker JVMs on their stdin and small results come back on
 * their stdout: storage then holds only the manifest and the result objects, and the client reads no result
 * object back. Bigger jobs and results take the storage path as before. The client's reads are counted by
 * {@code counting:} storage, which the workers open as the plain directory.
 */
class InlineJobsOnProcessesTest {
    @TempDir
    static Path dir;
    static Executor ex;

    @BeforeAll
    static void start() {
        ex = Executor.builder().backend("processes").storage("counting://" + dir.toUri().getPath())
                .property("jwren.workers", "2").property("jwren.processes.inline-limit", "4096").build();
    }

    @AfterAll
    static void stop() {
        if (ex != null) ex.close();
    }

    private static List<String> jobObjects(String jobId) throws IOException {
        Path job = dir.resolve(JobKeys.job(jobId));
        try (Stream<Path> files = Files.walk(job)) {
            return files.filter(Files::isRegularFile).map(p -> job.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aSubmitStoresOnlyItsManifestAndResultAndTheClientReadsNoResult() throws Exception {
        int base = 40;
        CallFuture<Integer> f = ex.submit(() -> base + 2);
        assertEquals(42, f.get(60, TimeUnit.SECONDS));
        String jobId = f.jobId();
        assertEquals(List.of("manifest", "results/0"), jobObjects(jobId));
        assertEquals(0, CountingStorageProvider.reads(JobKeys.job(jobId)), "reads of the job's objects by the client");
    }

    @Test
    void aSmallMapRunsInlineOverBothWorkersInChunks() throws Exception {
        List<Integer> in = IntStream.range(0, 40).boxed().toList();
        // A listener wants every result from the start: without one, results are read only once someone looks, and an
        // invocation that ended before f.get() was read back from storage then (its handed-over bytes not kept).
        MapFuture<Integer> f = ex.map((Integer x) -> x * 3, in,
                MapOptions.builder().chunkSize(3).listener(new io.jwren.CallListener() {}).build());
        assertEquals(in.stream().map(x -> x * 3).toList(), f.get(60, TimeUnit.SECONDS));
        List<String> objects = jobObjects(f.jobId());
        assertEquals(List.of(), objects.stream().filter(o -> !o.equals("manifest") && !o.startsWith("results/")).toList());
        assertEquals(14, objects.size() - 1, "result objects");
        assertEquals(0, CountingStorageProvider.reads(JobKeys.job(f.jobId())));
    }

    @Test
    void aJobOverTheLimitGoesThroughStorage() throws Exception {
        List<String> in = IntStream.range(0, 60).mapToObj(i -> "input " + i + " " + "x".repeat(100)).toList();
        MapFuture<Integer> f = ex.map(String::length, in, MapOptions.builder().chunkSize(10).build());
        assertEquals(in.stream().map(String::length).toList(), f.get(60, TimeUnit.SECONDS));
        List<String> objects = jobObjects(f.jobId());
        for (String o : List.of("manifest", "function", "inputs", "inputs.index", "results/0", "results/5"))
            assertTrue(objects.contains(o), o + " in " + objects);
    }

    @Test
    void aResultTooBigToComeBackOnTheLineIsReadFromStorage() throws Exception {
        CallFuture<byte[]> f = ex.submit(() -> {
            byte[] b = new byte[100_000];
            for (int i = 0; i < b.length; i++) b[i] = (byte) i;
            return b;
        });
        byte[] want = new byte[100_000];
        for (int i = 0; i < want.length; i++) want[i] = (byte) i;
        assertArrayEquals(want, f.get(60, TimeUnit.SECONDS));
        String jobId = f.jobId();
        assertEquals(List.of("manifest", "results/0"), jobObjects(jobId));
        assertEquals(1, CountingStorageProvider.reads(JobKeys.result(jobId, 0)), "reads of the result object");
    }

    @Test
    void aBadInlineLimitIsRefusedNamingTheSetting() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Executor.builder().backend("processes").storage(dir.toUri().toString())
                        .property("jwren.processes.inline-limit", "64k").build().close());
        assertTrue(e.getMessage().contains("jwren.processes.inline-limit must be a number of bytes") && e.getMessage().contains("'64k'"),
                e.getMessage());
    }
}

package io.jwren.local;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.ObjectStore;
import io.jwren.spi.NoSuchKeyException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Executor#storage()} on threads and on worker JVMs over a local directory; S3 is in ProcessesOverS3Contract. */
class ObjectStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aFunctionCapturesTheStoreAndReadsAndWritesWhereItRuns(String backend) throws Exception {
        try (Executor ex = Executor.builder().backend(backend).storage(dir.toUri().toString()).build()) {
            StoreChecks.readsAndWritesOnWorkers(ex);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void jwrensOwnAreasAreRefusedForWritesOnTheClientAndOnWorkers(String backend) throws Exception {
        try (Executor ex = Executor.builder().backend(backend).storage(dir.toUri().toString()).build()) {
            ObjectStore store = ex.storage();
            CallFuture<Integer> job = ex.submit(() -> 1);
            job.get(1, TimeUnit.MINUTES);
            String jobId = job.jobId();
            for (String key : List.of("jobs/x", "jobs", "classes/a.jar", "data/../jobs/x", "./jobs/x")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put(key, new byte[1]), key);
                assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.delete("jobs/" + jobId));
            assertTrue(e.getMessage().contains("jwren's own area jobs/"), e.getMessage());
            if (backend.equals("processes")) // threads keep jobs in memory
                assertTrue(store.list("jobs/" + jobId + "/").contains("jobs/" + jobId + "/manifest"), "jwren's objects can be listed");
            ExecutionException remote = assertThrows(ExecutionException.class,
                    () -> ex.submit(() -> { store.put("classes/evil.jar", new byte[1]); return 0; }).get(1, TimeUnit.MINUTES));
            assertInstanceOf(IllegalArgumentException.class, remote.getCause());
            assertTrue(remote.getCause().getMessage().contains("jwren's own area classes/"), remote.getCause().getMessage());
        }
    }

    /** Reads and writes through a store, on the client and in functions that capture it: shared with the S3 contract. */
    static final class StoreChecks {
        private StoreChecks() {}

        static void readsAndWritesOnWorkers(Executor ex) throws Exception {
            ObjectStore store = ex.storage();
            store.put("in/greeting.txt", "hello, workers".getBytes(StandardCharsets.UTF_8));
            String seen = ex.submit(() -> {
                try (InputStream in = store.get("in/greeting.txt")) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    store.put("out/reply.txt", ("got: " + text).getBytes(StandardCharsets.UTF_8));
                    try (InputStream range = store.get("in/greeting.txt", 7, 7)) {
                        return new String(range.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }).get(2, TimeUnit.MINUTES);
            assertEquals("workers", seen, "a range read on the worker");
            try (InputStream in = store.get("out/reply.txt")) {
                assertEquals("got: hello, workers", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (InputStream in = store.get("in/greeting.txt", 0, 5)) {
                assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(14, store.size("in/greeting.txt"));

            Path file = Files.createTempFile("jwren-object", ".txt");
            try {
                Files.writeString(file, "from a file");
                store.put("in/file.txt", file);
            } finally {
                Files.delete(file);
            }
            assertEquals(List.of("in/file.txt", "in/greeting.txt"), store.list("in/"));
            List<Long> sizes = ex.map((String key) -> store.size(key), store.list("in/")).get(2, TimeUnit.MINUTES);
            assertEquals(List.of(11L, 14L), sizes);

            store.put("in/greeting.txt.bak", new byte[3]);
            store.delete("in/greeting.txt");
            assertEquals(List.of("in/file.txt", "in/greeting.txt.bak"), store.list("in/"), "delete takes the key only");
            NoSuchKeyException absent = assertThrows(NoSuchKeyException.class, () -> store.get("in/greeting.txt"));
            assertTrue(absent.getMessage().contains("no object 'in/greeting.txt'"), absent.getMessage());
            ExecutionException remote = assertThrows(ExecutionException.class,
                    () -> ex.submit(() -> store.get("in/nothing-here").read()).get(2, TimeUnit.MINUTES));
            assertTrue(remote.getCause().getMessage().contains("no object 'in/nothing-here'"), remote.getCause().getMessage());
            store.delete("in/file.txt");
            store.delete("in/greeting.txt.bak");
            store.delete("out/reply.txt");
        }
    }
}

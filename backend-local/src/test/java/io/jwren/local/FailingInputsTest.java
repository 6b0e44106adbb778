package io.jwren.local;

import io.jwren.Executor;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller's input iterable that fails half-way: {@code map} throws the caller's own exception, and the
 * half-written inputs object is dropped — never published, its multipart upload aborted, not completed.
 */
class FailingInputsTest {
    @TempDir
    Path dir;

    /** Twelve inputs of 1 MiB, then the source breaks (a file that went away, a cursor that closed). */
    static Iterable<byte[]> breaksAfter12MiB() {
        return () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                if (n == 12) throw new IllegalStateException("input source broke at 12");
                if (n > 12) throw new NoSuchElementException();
                byte[] b = new byte[1 << 20];
                b[0] = (byte) n++;
                return b;
            }
        };
    }

    @Test
    void overS3TheMultipartUploadIsAbortedAndNoObjectIsLeft() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(null)) {
            s3.createBucket("jwren-broken");
            AwsProperties previous = AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
            try (Executor ex = Executor.builder().backend("processes").storage("s3://jwren-broken/run")
                    .property("jwren.s3.endpoint", s3.endpoint().toString()).property("jwren.workers", "1").build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.map((byte[] b) -> b.length, breaksAfter12MiB()));
                assertEquals("input source broke at 12", e.getMessage());
            } finally {
                previous.restore();
            }
            List<String> kinds = s3.operations().stream().map(CountingBlobStore.Operation::kind).toList();
            assertTrue(kinds.contains("PART") && kinds.contains("MPU_ABORT"), "parts were sent, then the upload aborted: " + kinds);
            assertTrue(!kinds.contains("MPU_COMPLETE"), "a broken upload must not be completed: " + kinds);
            // (S3Proxy itself PUTs a stub object per multipart upload, outside our prefix)
            assertEquals(List.of(), s3.operations().stream().filter(o -> o.kind().equals("PUT") && o.key().startsWith("run/"))
                    .map(CountingBlobStore.Operation::key).toList(), "nothing of the job was written");
        }
    }

    @Test
    void inALocalDirectoryTheTempFileIsDeletedAndNoJobIsLeft() throws Exception {
        Path store = dir.resolve("store");
        try (Executor ex = Executor.builder().backend("processes").storage(store.toUri().toString())
                .property("jwren.workers", "1").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.map((byte[] b) -> b.length, breaksAfter12MiB()));
            assertEquals("input source broke at 12", e.getMessage());
        }
        try (Stream<Path> files = Files.walk(store)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no inputs object, no temp file");
        }
    }
}

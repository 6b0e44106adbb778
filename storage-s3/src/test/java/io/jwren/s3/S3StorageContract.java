package io.jwren.s3;

import io.jwren.StorageException;
import io.jwren.spi.Abortable;
import io.jwren.spi.NoSuchKeyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link S3Storage} must do on any S3-compatible server: keys under the prefix, listings, ranged
 * reads, first-wins conditional puts, multipart uploads, and errors that name what is missing. Each
 * subclass says how to reach its server and how to create a bucket there; the server is started by the
 * subclass's constructor (one instance per class) or by a Testcontainers {@code @Container} field.
 * Checks that need one server's hooks (signature checking, request counts, injected faults) live in
 * that server's subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3StorageContract {
    static final String BUCKET = "jwren-contract";
    S3Storage storage;

    /** Settings for a client of the server under test. */
    abstract S3Settings settings();

    /** Credentials the server accepts. */
    abstract AwsCredentialsProvider credentials();

    abstract void createBucket(String name);

    @BeforeAll
    void openStorage() {
        createBucket(BUCKET);
        storage = new S3Storage(URI.create("s3://" + BUCKET + "/some/prefix"), settings(), credentials());
    }

    @AfterAll
    void closeStorage() {
        if (storage != null) storage.close();
    }

    @Test
    void anObjectSaysWhenItWasWrittenAndAMissingOneIsNamed() {
        java.time.Instant before = java.time.Instant.now().minusSeconds(120); // server clocks and second granularity
        storage.put("dated/one", "1".getBytes(StandardCharsets.UTF_8));
        java.time.Instant written = storage.lastModified("dated/one");
        assertTrue(written.isAfter(before) && written.isBefore(java.time.Instant.now().plusSeconds(120)), written.toString());
        org.junit.jupiter.api.Assertions.assertThrows(io.jwren.spi.NoSuchKeyException.class, () -> storage.lastModified("dated/none"));
    }

    @Test
    void objectsRoundTripUnderThePrefix() {
        storage.put("a/one", "1".getBytes(StandardCharsets.UTF_8));
        storage.put("a/two", "22".getBytes(StandardCharsets.UTF_8));
        storage.put("b/three", "333".getBytes(StandardCharsets.UTF_8));
        assertEquals("s3://" + BUCKET + "/some/prefix/", storage.uri());
        assertArrayEquals("22".getBytes(StandardCharsets.UTF_8), storage.get("a/two"));
        assertTrue(storage.exists("a/one"));
        assertFalse(storage.exists("a/none"));
        assertEquals(List.of("a/one", "a/two"), storage.list("a/"));
        storage.deletePrefix("a/");
        assertEquals(List.of(), storage.list("a/"));
        assertEquals(List.of("b/three"), storage.list("b"));
    }

    @Test
    void rangedReadsReturnExactlyTheRange() {
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        storage.put("ranged", data);
        byte[] slice = storage.getRange("ranged", 1234, 4321);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1234, 1234 + 4321), slice);
        assertEquals(0, storage.getRange("ranged", 5, 0).length);
    }

    @Test
    void theFirstConditionalPutWins() {
        assertTrue(storage.putIfAbsent("result/0", "first".getBytes(StandardCharsets.UTF_8)));
        assertFalse(storage.putIfAbsent("result/0", "second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", new String(storage.get("result/0"), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingKeyIsNamed() {
        NoSuchKeyException e = assertThrows(NoSuchKeyException.class, () -> storage.get("jobs/x/function"));
        assertTrue(e.getMessage().contains("jobs/x/function") && e.getMessage().contains("s3://" + BUCKET + "/some/prefix/"), e.getMessage());
    }

    @Test
    void largeUploadsArePartedAndSmallOnesAreOnePut() throws Exception {
        byte[] part = new byte[1 << 20];
        new Random(2).nextBytes(part);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = storage.create("big")) {
            for (int i = 0; i < 12; i++) { // 12 MiB: three parts of 5 MiB at most
                part[0] = (byte) i;
                out.write(part);
                sent.update(part);
            }
        }
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (InputStream in = storage.open("big")) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; length += n) received.update(buf, 0, n);
        }
        assertEquals(12L << 20, length);
        assertArrayEquals(sent.digest(), received.digest());

        try (OutputStream out = storage.create("small")) {
            out.write("tiny".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("tiny", new String(storage.get("small"), StandardCharsets.UTF_8));
    }

    @Test
    void anAbortedUploadPublishesNothingAndAbortAfterCloseChangesNothing() throws Exception {
        byte[] part = new byte[1 << 20];
        OutputStream dropped = storage.create("dropped");
        for (int i = 0; i < 12; i++) dropped.write(part); // two parts sent, a third filling
        ((Abortable) dropped).abort();
        dropped.close();
        assertFalse(storage.exists("dropped"), "an aborted multipart upload must not become an object");
        OutputStream small = storage.create("dropped-small");
        small.write(part, 0, 10);
        Abortable.discard(small);
        small.close();
        assertFalse(storage.exists("dropped-small"), "an aborted single-part upload must not become an object");
        OutputStream kept = storage.create("kept");
        kept.write("kept".getBytes(StandardCharsets.UTF_8));
        kept.close();
        ((Abortable) kept).abort();
        assertEquals("kept", new String(storage.get("kept"), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingBucketIsNamedWithTheEndpoint() {
        try (S3Storage missing = new S3Storage(URI.create("s3://no-such-bucket/p"), settings(), credentials())) {
            StorageException e = assertThrows(StorageException.class, () -> missing.put("k", new byte[1]));
            assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist at " + settings().endpointName()), e.getMessage());
        }
    }
}

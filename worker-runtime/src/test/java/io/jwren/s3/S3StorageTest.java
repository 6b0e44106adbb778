package io.jwren.s3;

import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

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

/** S3 storage against S3Proxy with SigV4 authentication. */
class S3StorageTest {
    static S3ProxyServer server;
    static S3Storage storage;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(null);
        server.createBucket("jwren-test");
        storage = new S3Storage(URI.create("s3://jwren-test/some/prefix"), S3ProxyServer.settings(server.endpoint()),
                S3ProxyServer.credentials());
    }

    @AfterAll
    static void stop() throws Exception {
        storage.close();
        server.close();
    }

    @Test
    void objectsRoundTripUnderThePrefix() {
        storage.put("a/one", "1".getBytes(StandardCharsets.UTF_8));
        storage.put("a/two", "22".getBytes(StandardCharsets.UTF_8));
        storage.put("b/three", "333".getBytes(StandardCharsets.UTF_8));
        assertEquals("s3://jwren-test/some/prefix/", storage.uri());
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
        assertTrue(e.getMessage().contains("jobs/x/function") && e.getMessage().contains("s3://jwren-test/some/prefix/"), e.getMessage());
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
    void wrongCredentialsFailAtFirstUseNamingEndpointAndBucketButNotTheCredentials() {
        String secret = "notTheRightSecret987654321";
        try (S3Storage wrong = new S3Storage(URI.create("s3://jwren-test/p"), S3ProxyServer.settings(server.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("wrongAccessKeyId", secret)))) {
            StorageException e = assertThrows(StorageException.class, () -> wrong.put("k", new byte[1]));
            String m = e.getMessage();
            assertTrue(m.contains(server.endpoint().toString()) && m.contains("jwren-test") && m.contains("credentials"), m);
            assertFalse(m.contains(secret) || m.contains("wrongAccessKeyId") || m.contains(S3ProxyServer.SECRET_KEY), m);
            assertTrue(e.getCause() == null, "the SDK exception, which may quote the request, is not kept");
        }
    }

    @Test
    void aMissingBucketIsNamedWithTheEndpoint() {
        try (S3Storage missing = new S3Storage(URI.create("s3://no-such-bucket/p"), S3ProxyServer.settings(server.endpoint()),
                S3ProxyServer.credentials())) {
            StorageException e = assertThrows(StorageException.class, () -> missing.put("k", new byte[1]));
            assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist at " + server.endpoint()), e.getMessage());
        }
    }
}

package io.jwren.s3;

import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.StorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage contract against S3Proxy embedded in this JVM with SigV4 authentication on; runs
 * everywhere. Wrong credentials are tested here only: S3Proxy checks signatures, LocalStack's community
 * image accepts any credentials.
 */
class S3StorageOnS3ProxyTest extends S3StorageContract {
    private final S3ProxyServer server;

    S3StorageOnS3ProxyTest() throws Exception {
        server = S3ProxyServer.start(null);
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(server.endpoint(), "us-east-1");
    }

    @Override
    AwsCredentialsProvider credentials() {
        return S3ProxyServer.credentials();
    }

    @Override
    void createBucket(String name) {
        server.createBucket(name);
    }

    @Test
    void wrongCredentialsFailAtFirstUseNamingEndpointAndBucketButNotTheCredentials() {
        String secret = "notTheRightSecret987654321";
        try (S3Storage wrong = new S3Storage(URI.create("s3://" + BUCKET + "/p"), settings(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("wrongAccessKeyId", secret)))) {
            StorageException e = assertThrows(StorageException.class, () -> wrong.put("k", new byte[1]));
            String m = e.getMessage();
            assertTrue(m.contains(server.endpoint().toString()) && m.contains(BUCKET) && m.contains("credentials"), m);
            assertFalse(m.contains(secret) || m.contains("wrongAccessKeyId") || m.contains(S3ProxyServer.SECRET_KEY), m);
            assertTrue(e.getCause() == null, "the SDK exception, which may quote the request, is not kept");
        }
    }

    @Test
    void noCredentialsAnywhereIsSaidPlainlyWithWhereTheyAreLookedFor() {
        var nowhere = io.jwren.testing.s3.NoAwsCredentials.anywhere();
        try (S3Storage none = new S3Storage(URI.create("s3://" + BUCKET + "/p"), settings(), nowhere)) {
            StorageException e = assertThrows(StorageException.class, () -> none.put("k", new byte[1]));
            String m = e.getMessage();
            assertTrue(m.startsWith("no AWS credentials found for S3 storage s3://" + BUCKET + "/p"), m);
            assertTrue(m.contains("AWS_ACCESS_KEY_ID") && m.contains("~/.aws/credentials") && m.contains("aws configure"), m);
            assertFalse(m.contains("cannot reach"), "not a reachability problem: " + m);
            assertTrue(m.length() < 900, m.length() + " characters: " + m);
            assertTrue(MissingAwsCredentials.isCause(e.getCause()), "the SDK's own text stays as the cause: " + e.getCause());
        }
    }
}

package io.jwren.local;

import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** {@link SignedObjectsContract} on S3Proxy, embedded in this JVM with SigV4 on. */
class SignedObjectsOverS3ProxyTest extends SignedObjectsContract {
    static final String BUCKET = "jwren-signed";
    static S3ProxyServer s3;
    static AwsProperties previous;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        previous = AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (previous != null) previous.restore();
        if (s3 != null) s3.close();
    }

    @Override
    String storage(String prefix) {
        return "s3://" + BUCKET + "/" + prefix;
    }

    @Override
    Map<String, String> storageSettings() {
        return Map.of("jwren.s3.endpoint", s3.endpoint().toString(), "jwren.s3.region", "us-east-1");
    }
}

package io.jwren.s3;

import io.jwren.testing.s3.LocalStackS3;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The storage contract against LocalStack's S3 running on this host (localstack-core from a pinned venv; no
 * Docker). LocalStack accepts any credentials, so wrong-credential checks stay with {@link S3StorageOnS3ProxyTest}.
 */
class S3StorageOnLocalStackTest extends S3StorageContract {
    private final LocalStackS3 localstack;

    S3StorageOnLocalStackTest() throws Exception {
        localstack = LocalStackS3.start();
    }

    @AfterAll
    void stopServer() {
        localstack.close();
    }

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(localstack.endpoint(), LocalStackS3.REGION);
    }

    @Override
    AwsCredentialsProvider credentials() {
        return LocalStackS3.credentials();
    }

    @Override
    void createBucket(String name) {
        localstack.createBucket(name);
    }
}

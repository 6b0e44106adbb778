package io.jwren.s3;

import io.jwren.testing.s3.LocalStackS3;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The storage contract against LocalStack in Docker, for users who have Docker; skipped without it.
 * LocalStack accepts any credentials, so wrong-credential checks stay with {@link S3StorageOnS3ProxyTest}.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3StorageOnLocalStackTest extends S3StorageContract {
    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackS3.container();

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion());
    }

    @Override
    AwsCredentialsProvider credentials() {
        return LocalStackS3.credentials(LOCALSTACK);
    }

    @Override
    void createBucket(String name) {
        LocalStackS3.createBucket(LOCALSTACK, name);
    }
}

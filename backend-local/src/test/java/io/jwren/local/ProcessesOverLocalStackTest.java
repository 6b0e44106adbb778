package io.jwren.local;

import io.jwren.testing.s3.LocalStackS3;
import io.jwren.s3.S3Settings;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

import java.util.List;

/**
 * The processes-over-S3 contract against LocalStack in Docker, for users who have Docker; skipped
 * without it. Worker JVMs reach the container through its mapped port on this host.
 */
@Testcontainers(disabledWithoutDocker = true)
class ProcessesOverLocalStackTest extends ProcessesOverS3Contract {
    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackS3.container();

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion());
    }

    @Override
    AwsCredentials credentials() {
        return LocalStackS3.credentials(LOCALSTACK).resolveCredentials();
    }

    @Override
    void createBucket(String name) {
        LocalStackS3.createBucket(LOCALSTACK, name);
    }

    /** LocalStack's credentials are "test" and "test": too common a word to search messages for. */
    @Override
    List<String> searchableCredentials() {
        return List.of();
    }
}

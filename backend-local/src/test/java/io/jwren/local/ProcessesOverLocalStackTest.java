package io.jwren.local;

import io.jwren.s3.S3Settings;
import io.jwren.testing.s3.LocalStackS3;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

import java.util.List;

/**
 * The processes-over-S3 contract against LocalStack's S3 running on this host (localstack-core from a pinned
 * venv; no Docker). Worker JVMs reach it on its loopback port, as they reach S3Proxy.
 */
class ProcessesOverLocalStackTest extends ProcessesOverS3Contract {
    private final LocalStackS3 localstack;

    ProcessesOverLocalStackTest() throws Exception {
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
    AwsCredentials credentials() {
        return LocalStackS3.credentials().resolveCredentials();
    }

    @Override
    void createBucket(String name) {
        localstack.createBucket(name);
    }

    /** LocalStack's credentials are "test" and "test": too common a word to search messages for. */
    @Override
    List<String> searchableCredentials() {
        return List.of();
    }
}

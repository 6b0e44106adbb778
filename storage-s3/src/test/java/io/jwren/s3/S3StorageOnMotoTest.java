package io.jwren.s3;

import io.jwren.testing.aws.MotoServer;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The storage contract against moto's S3 (moto_server from the pinned venv, started and stopped here). */
class S3StorageOnMotoTest extends S3StorageContract {
    private final MotoServer moto = MotoServer.start();

    @AfterAll
    void stopServer() {
        moto.close();
    }

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(moto.endpoint(), moto.region());
    }

    @Override
    AwsCredentialsProvider credentials() {
        return moto.credentialsProvider();
    }

    @Override
    void createBucket(String name) {
        moto.createBucket(name);
    }
}

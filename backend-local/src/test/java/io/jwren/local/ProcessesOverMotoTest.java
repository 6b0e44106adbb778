package io.jwren.local;

import io.jwren.s3.S3Settings;
import io.jwren.testing.aws.MotoServer;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

import java.util.List;

/** Whole maps on the processes backend through moto's S3 (moto_server from the pinned venv, started and stopped here). */
class ProcessesOverMotoTest extends ProcessesOverS3Contract {
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
    AwsCredentials credentials() {
        return moto.credentials();
    }

    @Override
    void createBucket(String name) {
        moto.createBucket(name);
    }

    @Override
    List<String> searchableCredentials() {
        return List.of(moto.credentials().accessKeyId(), moto.credentials().secretAccessKey());
    }
}

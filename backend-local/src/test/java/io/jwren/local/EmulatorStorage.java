package io.jwren.local;

import io.jwren.Executor;
import io.jwren.testing.lambda.FunctionEnvironment;
import io.jwren.testing.s3.S3ProxyServer;

import java.util.Map;

/**
 * S3Proxy with one bucket for the Lambda emulator tests, the test credentials set for this JVM's clients
 * (put back on close), and a "stage-only" executor that stages jobs there for an emulated function to run.
 */
final class EmulatorStorage implements AutoCloseable {
    final S3ProxyServer s3;
    final String prefix;
    private final AwsProperties previousCredentials;

    private EmulatorStorage(S3ProxyServer s3, String prefix, AwsProperties previousCredentials) {
        this.s3 = s3;
        this.prefix = prefix;
        this.previousCredentials = previousCredentials;
    }

    static EmulatorStorage start(String bucket, String path) throws Exception {
        S3ProxyServer s3 = S3ProxyServer.start(null);
        s3.createBucket(bucket);
        return new EmulatorStorage(s3, "s3://" + bucket + "/" + path,
                AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
    }

    /** The worker function's environment: this storage, and S3Proxy's credentials as its role. */
    Map<String, String> functionEnvironment() {
        return FunctionEnvironment.forS3Proxy(prefix, s3.endpoint());
    }

    /** An executor that stages jobs in this storage and waits for their result objects, running nothing. */
    Executor stager() {
        return Executor.builder().backend("stage-only").storage(prefix).property("jwren.s3.endpoint", s3.endpoint().toString()).build();
    }

    /** As {@link #stager()}, signing its jobs with {@link SharedSigningKey}, which the test hands the function. */
    Executor signingStager() {
        return Executor.builder().backend("stage-only-signed").storage(prefix).property("jwren.s3.endpoint", s3.endpoint().toString())
                .property(SharedSigningKey.SETTING, SharedSigningKey.VALUE).build();
    }

    @Override
    public void close() throws Exception {
        s3.close();
        previousCredentials.restore();
    }
}

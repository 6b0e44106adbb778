package io.jwren.lambda;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;

import java.time.Duration;

/** Lambda clients built from the settings; credentials always come from the AWS SDK's default chain. */
final class LambdaClients {
    private LambdaClients() {}

    /**
     * The invoking client: Netty, with as many connections as invokes may be in flight, and the SDK's own
     * retries off, because {@link InvokeBackoff} is the one retry policy for Invoke. A synchronous invoke's answer
     * comes when the function returns, up to Lambda's 15 minutes: no read timeout cuts it short; each request sets
     * its own call timeout instead.
     */
    static LambdaAsyncClient async(LambdaSettings settings) {
        return async(settings, null);
    }

    /** As {@link #async(LambdaSettings)}, with given credentials instead of the default chain (benchmarks). */
    static LambdaAsyncClient async(LambdaSettings settings, AwsCredentialsProvider credentials) {
        LambdaAsyncClientBuilder b = LambdaAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(settings.maxConcurrentInvokes())
                        .readTimeout(Duration.ofMinutes(16))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (settings.region() != null) b.region(Region.of(settings.region()));
        if (settings.endpoint() != null) b.endpointOverride(settings.endpoint());
        if (credentials != null) b.credentialsProvider(credentials);
        return b.build();
    }

    /** A synchronous client for deploying, with the SDK's standard retries. */
    static LambdaClient sync(String region, java.net.URI endpoint) {
        LambdaClientBuilder b = LambdaClient.builder()
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder());
        if (region != null) b.region(Region.of(region));
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }
}

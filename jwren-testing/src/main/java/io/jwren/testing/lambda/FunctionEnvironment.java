package io.jwren.testing.lambda;

import io.jwren.testing.s3.S3ProxyServer;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment an emulated worker function gets, as a real function's configuration and execution role
 * would give it: where its storage is, and (standing in for the role) S3Proxy's credentials. Never payload.
 */
public final class FunctionEnvironment {
    private FunctionEnvironment() {}

    /** {@code JWREN_STORAGE}, {@code JWREN_S3_ENDPOINT} and the AWS credentials S3Proxy checks. */
    public static Map<String, String> forS3Proxy(String storageUri, URI s3Endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JWREN_STORAGE", storageUri);
        env.put("JWREN_S3_ENDPOINT", s3Endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        return env;
    }
}

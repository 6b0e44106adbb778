package io.jwren.s3;

import io.jwren.Config;

import java.net.URI;

/**
 * Where and how to reach S3, from the config chain. Credentials are not here on purpose: they come
 * from the AWS SDK's default provider chain (environment, system properties, profile, instance or
 * task role), so they never travel in jwren's config, manifests or worker command lines.
 *
 * @param endpoint       a non-AWS endpoint such as S3Proxy or MinIO ({@code jwren.s3.endpoint}), or null for AWS
 * @param region         {@code jwren.s3.region}, else {@code AWS_REGION}, else us-east-1
 * @param pathStyle      {@code jwren.s3.path-style}; defaults to true when an endpoint is set
 * @param partSize       multipart part size in bytes ({@code jwren.s3.part-size}, at least 5 MiB)
 * @param partsInFlight  parts uploaded at once per stream ({@code jwren.s3.parts-in-flight}); memory is bounded by (this + 1) x partSize
 * @param maxConnections HTTP connections per client ({@code jwren.s3.max-connections})
 * @param maxAttempts    tries per request, with backoff and jitter, on throttling, 5xx and dropped connections
 *                       ({@code jwren.s3.max-attempts}); a worker whose storage calls still fail has its invocation retried
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, int partSize, int partsInFlight,
                         int maxConnections, int maxAttempts) {
    static final int MIN_PART = 5 * 1024 * 1024;
    static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    static final int DEFAULT_PARTS_IN_FLIGHT = 4;
    static final int DEFAULT_MAX_CONNECTIONS = 64;
    static final int DEFAULT_MAX_ATTEMPTS = 8;

    /**
     * Path-style addressing at {@code endpoint} (S3Proxy, LocalStack, MinIO...), with the smallest parts and a
     * few of them in flight: what tests and benchmarks against a local server use.
     */
    public static S3Settings pathStyle(URI endpoint, String region) {
        return new S3Settings(endpoint, region, true, MIN_PART, 4, 64, 8);
    }

    public static S3Settings from(Config config) {
        String endpoint = config.get("jwren.s3.endpoint", null);
        String envRegion = System.getenv("AWS_REGION");
        String region = config.get("jwren.s3.region", envRegion != null && !envRegion.isBlank() ? envRegion : "us-east-1");
        boolean pathStyle = config.getBoolean("jwren.s3.path-style", endpoint != null);
        int partSize = config.getInt("jwren.s3.part-size", DEFAULT_PART_SIZE);
        if (partSize < MIN_PART)
            throw new IllegalArgumentException("jwren.s3.part-size must be at least 5 MiB (S3's minimum part), was " + partSize);
        int inFlight = config.getInt("jwren.s3.parts-in-flight", DEFAULT_PARTS_IN_FLIGHT);
        int connections = config.getInt("jwren.s3.max-connections", DEFAULT_MAX_CONNECTIONS);
        int attempts = config.getInt("jwren.s3.max-attempts", DEFAULT_MAX_ATTEMPTS);
        return new S3Settings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint), region, pathStyle,
                partSize, Math.max(1, inFlight), Math.max(1, connections), Math.max(1, attempts));
    }

    /** How to name the endpoint in messages. */
    String endpointName() {
        return endpoint == null ? "AWS S3 (" + region + ")" : endpoint.toString();
    }
}

/**
 * S3 servers for tests: S3Proxy embedded in the test JVM ({@link io.jwren.testing.s3.S3ProxyServer}) with
 * request counting, LocalStack on the host (localstack-core from a pinned venv), and an HTTP proxy that counts requests and
 * injects faults ({@link io.jwren.testing.s3.HttpFaultProxy}). For jwren's own tests; not a stable API.
 */
package io.jwren.testing.s3;

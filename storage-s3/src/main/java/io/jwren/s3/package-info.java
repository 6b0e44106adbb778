/**
 * Storage on Amazon S3 or an S3-compatible server, for {@code s3://bucket/prefix}: found through
 * {@link java.util.ServiceLoader} by scheme, with the {@code jwren.s3.*} settings. Large uploads are multipart
 * with bounded memory; credentials come only from the AWS SDK's default provider chain, never from jwren's
 * settings. Internal: choose it with {@code jwren.storage}; the classes are public for jwren's own modules and
 * are not a stable API.
 */
package io.jwren.s3;

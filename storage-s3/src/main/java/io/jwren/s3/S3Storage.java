package io.jwren.s3;

import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage on S3 or an S3-compatible server, under {@code s3://bucket/prefix}. Small calls go through a
 * synchronous client (Apache HTTP); large uploads through {@link #create} are multipart, with parts
 * sent in parallel by an asynchronous Netty client, and memory bounded by the parts in flight.
 * Reads are streamed; ranged reads are HTTP Range requests.
 */
public final class S3Storage implements Storage {
    private final String bucket;
    private final String prefix; // "" or ending in '/'
    private final String uri;
    private final S3Settings settings;
    private final AwsCredentialsProvider credentials;
    private final S3Client client;
    private volatile S3AsyncClient asyncClient;
    private volatile Boolean conditionalPuts; // null until a conditional put was tried

    /** Opens {@code s3://bucket/prefix} with credentials from the AWS default provider chain. */
    public static S3Storage open(URI location, S3Settings settings) {
        return new S3Storage(location, settings, DefaultCredentialsProvider.builder().build());
    }

    /** Opens {@code s3://bucket/prefix} with the given credentials (embedding, tests). */
    public S3Storage(URI location, S3Settings settings, AwsCredentialsProvider credentials) {
        if (!"s3".equals(location.getScheme()) || location.getAuthority() == null)
            throw new IllegalArgumentException("an S3 storage URI looks like s3://bucket/prefix, got " + location);
        this.bucket = location.getAuthority();
        if (bucket.length() < 3 || bucket.length() > 63)
            throw new IllegalArgumentException("S3 bucket names have 3 to 63 characters, got '" + bucket + "' in " + location);
        String path = location.getPath() == null ? "" : location.getPath().replaceAll("^/+", "");
        this.prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
        this.uri = "s3://" + bucket + "/" + prefix;
        this.settings = settings;
        this.credentials = credentials;
        this.client = configure(S3Client.builder(), true)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.maxConnections())).build();
    }

    /**
     * What the sync and the async client share: region, credentials, retries, addressing, endpoint.
     * {@code expectContinue} is off for the Netty client: it sends a part's body without waiting for
     * {@code 100 Continue}, and when a server answers one anyway (moto's Werkzeug server always does) it
     * takes the 100 for the final response and the part fails with "status 100" (aws-sdk-java-v2 #1969).
     */
    private <B extends S3BaseClientBuilder<B, ?>> B configure(B builder, boolean expectContinue) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(settings)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                        .expectContinueEnabled(expectContinue).build());
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder;
    }

    /**
     * The SDK's standard strategy (exponential backoff with jitter on throttling, 5xx and I/O errors)
     * with more attempts and no circuit breaker: a batch job would rather wait out a burst of 503s
     * than fail calls because a shared retry budget ran dry.
     */
    private static StandardRetryStrategy retryStrategy(S3Settings settings) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts()).circuitBreakerEnabled(false).build();
    }

    S3AsyncClient async() {
        S3AsyncClient c = asyncClient;
        if (c != null) return c;
        synchronized (this) {
            if (asyncClient == null) {
                asyncClient = configure(S3AsyncClient.builder(), false)
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(settings.maxConnections())).build();
            }
            return asyncClient;
        }
    }

    String bucket() {
        return bucket;
    }

    String objectKey(String key) {
        return prefix + key;
    }

    S3Settings settings() {
        return settings;
    }

    StorageException error(String op, String key, SdkException e) {
        return S3Errors.translate(uri, bucket, settings.endpointName(), op, key, e);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void put(String key, byte[] data) {
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey(key)).contentLength((long) data.length).build(),
                    RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw error("PutObject", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        if (Boolean.FALSE.equals(conditionalPuts)) {
            // The server ignores If-None-Match: check first. Two writers may still race; results are
            // deterministic per invocation, so whichever lands is a complete, correct result.
            if (exists(key)) return false;
            put(key, data);
            return true;
        }
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey(key)).ifNoneMatch("*")
                    .contentLength((long) data.length).build(), RequestBody.fromBytes(data));
            conditionalPuts = Boolean.TRUE;
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) return false; // someone wrote first
            if (e.statusCode() == 501 || e.statusCode() == 400 && conditionalPuts == null) {
                conditionalPuts = Boolean.FALSE;
                return putIfAbsent(key, data);
            }
            throw error("PutObject", key, e);
        } catch (SdkException e) {
            throw error("PutObject", key, e);
        }
    }

    @Override
    public OutputStream create(String key) {
        return new MultipartOutputStream(this, key);
    }

    @Override
    public InputStream open(String key) {
        try {
            return client.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
        } catch (SdkException e) {
            throw error("GetObject", key, e);
        }
    }

    @Override
    public InputStream openRange(String key, long offset, long length) {
        if (length == 0) return InputStream.nullInputStream();
        try {
            return client.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key))
                    .range("bytes=" + offset + "-" + (offset + length - 1)).build());
        } catch (SdkException e) {
            throw error("GetObject", key, e);
        }
    }

    @Override
    public long size(String key) {
        return head(key).contentLength();
    }

    @Override
    public java.time.Instant lastModified(String key) {
        return head(key).lastModified();
    }

    private software.amazon.awssdk.services.s3.model.HeadObjectResponse head(String key) {
        try {
            return client.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode()))
                throw new NoSuchKeyException(uri(), key);
            throw error("HeadObject", key, e);
        } catch (SdkException e) {
            throw error("HeadObject", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            client.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode()))
                return false;
            throw error("HeadObject", key, e);
        } catch (SdkException e) {
            throw error("HeadObject", key, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        List<String> keys = new ArrayList<>();
        try {
            String token = null;
            do {
                ListObjectsV2Response page = client.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                        .prefix(objectKey(keyPrefix)).continuationToken(token).build());
                for (S3Object o : page.contents()) keys.add(o.key().substring(prefix.length()));
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw error("ListObjectsV2", keyPrefix, e);
        }
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
        } catch (SdkException e) {
            throw error("DeleteObject", key, e);
        }
    }

    @Override
    public void deletePrefix(String keyPrefix) {
        List<String> keys = list(keyPrefix);
        try {
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> batch = new ArrayList<>();
                for (String k : keys.subList(from, Math.min(keys.size(), from + 1000)))
                    batch.add(ObjectIdentifier.builder().key(objectKey(k)).build());
                // DeleteObjects answers 200 even when it deletes nothing: its per-key errors (a missing
                // s3:DeleteObject, object lock) come in the body, and quiet mode lists only those.
                List<S3Error> refused = client.deleteObjects(DeleteObjectsRequest.builder().bucket(bucket)
                        .delete(Delete.builder().objects(batch).quiet(true).build()).build()).errors();
                if (!refused.isEmpty()) throw S3Errors.refusedDeletes(uri, bucket, settings.endpointName(), keyPrefix, refused);
            }
        } catch (SdkException e) {
            throw error("DeleteObjects", keyPrefix, e);
        }
    }

    @Override
    public void close() {
        client.close();
        S3AsyncClient a = asyncClient;
        if (a != null) a.close();
    }

    @Override
    public String toString() {
        return "S3Storage[" + uri + " at " + settings.endpointName() + "]";
    }
}

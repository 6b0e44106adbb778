package io.jwren.s3;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what S3Proxy does on behalf of its clients: every GET, HEAD, PUT and LIST of objects, from
 * every JVM. S3Proxy may add lookups of its own while serving a request, so a count here is an upper
 * bound on the requests clients sent, which is what request-economy tests need.
 */
public final class CountingBlobStore extends ForwardingBlobStore {
    public record Operation(String kind, String key) {}

    private final List<Operation> operations = new ArrayList<>();

    CountingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private synchronized void record(String kind, String key) {
        operations.add(new Operation(kind, key));
    }

    synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    synchronized void reset() {
        operations.clear();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        record("PUT", request.key());
        return super.putBlob(request, content);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        record("GET", request.key());
        return super.getBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        record("HEAD", request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        record("LIST", request.prefix());
        return super.list(request);
    }
}

package io.jwren.testing.s3;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what S3Proxy does on behalf of its clients: every GET, HEAD, PUT and LIST of objects and every
 * step of a multipart upload (MPU_CREATE, PART, MPU_COMPLETE), from every JVM. S3Proxy may add lookups
 * of its own while serving a request, so a count here is an upper bound on the requests clients sent,
 * which is what request-economy tests need. Writes are recorded once the store has read their body,
 * with the number of bytes it read.
 */
public final class CountingBlobStore extends ForwardingBlobStore {
    /** @param bytes the body bytes the store read for a PUT or PART, else -1 */
    public record Operation(String kind, String key, long bytes) {
        Operation(String kind, String key) {
            this(kind, key, -1);
        }
    }

    private final List<Operation> operations = new ArrayList<>();

    CountingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private synchronized void record(String kind, String key) {
        operations.add(new Operation(kind, key));
    }

    private synchronized void record(String kind, String key, CountingStream body) {
        operations.add(new Operation(kind, key, body.count));
    }

    synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    synchronized void reset() {
        operations.clear();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        CountingStream body = new CountingStream(content);
        try {
            return super.putBlob(request, body);
        } finally {
            record("PUT", request.key(), body);
        }
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        record("MPU_CREATE", request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        CountingStream body = new CountingStream(content);
        try {
            return super.uploadMultipartPart(upload, request, body);
        } finally {
            record("PART", upload.blobName(), body);
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        record("MPU_COMPLETE", upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        record("MPU_ABORT", upload.blobName());
        super.abortMultipartUpload(upload);
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

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}

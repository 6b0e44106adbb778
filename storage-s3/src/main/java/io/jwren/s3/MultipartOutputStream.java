package io.jwren.s3;

import io.jwren.StorageException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import io.jwren.spi.Abortable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * An upload of unknown length with bounded memory: bytes fill a part-sized buffer; an object that fits
 * in one part is one PUT, a bigger one becomes an explicit multipart upload whose parts go out in
 * parallel, at most {@code partsInFlight} at a time, so memory stays under (partsInFlight + 1) parts.
 * A failed upload is aborted, so no orphaned parts are billed.
 */
final class MultipartOutputStream extends OutputStream implements Abortable {
    private final S3Storage storage;
    private final String key;
    private final int partSize;
    private final Semaphore inFlight;
    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
    private byte[] buffer;
    private int filled;
    private String uploadId;
    private boolean closed;
    private boolean finished; // completed or aborted: nothing more to do

    MultipartOutputStream(S3Storage storage, String key) {
        this.storage = storage;
        this.key = key;
        this.partSize = storage.settings().partSize();
        this.inFlight = new Semaphore(storage.settings().partsInFlight());
        this.buffer = new byte[Math.min(partSize, 1 << 16)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("upload of " + key + " is closed");
        while (len > 0) {
            if (filled == partSize) sendPart();
            if (filled == buffer.length) buffer = java.util.Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                // The SDK sends every part with a CRC32 checksum: say so up front, as S3 servers that predate
                // its default integrity checks (LocalStack 3.8) refuse parts whose checksum the upload did not declare.
                uploadId = storage.async().createMultipartUpload(CreateMultipartUploadRequest.builder()
                        .bucket(storage.bucket()).key(storage.objectKey(key)).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                        .build()).join().uploadId();
            }
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IOException("interrupted while uploading " + key, e);
        } catch (CompletionException e) {
            throw failure("CreateMultipartUpload", e);
        }
        int number = parts.size() + 1;
        // Handed over without a copy: this stream never touches the array again (it takes a new one).
        byte[] part = buffer;
        int length = filled;
        buffer = new byte[partSize];
        filled = 0;
        CompletableFuture<CompletedPart> done = storage.async().uploadPart(UploadPartRequest.builder()
                        .bucket(storage.bucket()).key(storage.objectKey(key)).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length).build(), AsyncRequestBody.fromRemainingByteBufferUnsafe(java.nio.ByteBuffer.wrap(part, 0, length)))
                .thenApply(r -> CompletedPart.builder().partNumber(number).eTag(r.eTag())
                        // an upload that declared CRC32 is completed with each part's checksum
                        .checksumCRC32(r.checksumCRC32()).build())
                .whenComplete((r, t) -> inFlight.release());
        parts.add(done);
        for (CompletableFuture<CompletedPart> p : parts) {
            if (p.isCompletedExceptionally()) {
                try {
                    p.join();
                } catch (CompletionException e) {
                    throw failure("UploadPart", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (uploadId == null) {
            // Fits in one part: a single PUT.
            storage.put(key, filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled));
            buffer = null;
            finished = true;
            return;
        }
        if (filled > 0) {
            closed = false;
            sendPart();
            closed = true;
        }
        buffer = null;
        try {
            List<CompletedPart> completed = new ArrayList<>();
            for (CompletableFuture<CompletedPart> p : parts) completed.add(p.join());
            completed.sort(Comparator.comparing(CompletedPart::partNumber));
            storage.async().completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(storage.bucket())
                    .key(storage.objectKey(key)).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()).build()).join();
            finished = true;
        } catch (CompletionException e) {
            throw failure("CompleteMultipartUpload", e);
        }
    }

    private IOException failure(String what, CompletionException e) {
        abort();
        Throwable cause = e.getCause();
        StorageException se = cause instanceof SdkException sdk ? storage.error(what, key, sdk)
                : new StorageException("S3 " + what + " of " + key + " in " + storage.uri() + ": " + cause, key, cause);
        return new IOException(se.getMessage(), se);
    }

    /** Drops the upload: no object appears. Does nothing once the object is complete or already dropped. */
    @Override
    public void abort() {
        if (finished) return;
        finished = true;
        closed = true;
        buffer = null;
        if (uploadId == null) return;
        for (CompletableFuture<CompletedPart> p : parts) p.cancel(false);
        try {
            storage.async().abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(storage.bucket())
                    .key(storage.objectKey(key)).uploadId(uploadId).build()).join();
        } catch (RuntimeException ignored) {
            // Best effort: a bucket lifecycle rule for incomplete uploads cleans up the rest.
        }
    }
}

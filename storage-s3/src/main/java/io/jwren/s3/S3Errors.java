package io.jwren.s3;

import io.jwren.StorageAccessDeniedException;
import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Set;

/**
 * Turns SDK exceptions into jwren's storage exceptions with messages that say what to do. Messages are
 * built from status and error code only, never from the request or the server's text, so no
 * credential or signature can leak into logs or results.
 */
final class S3Errors {
    private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied",
            "InvalidToken", "ExpiredToken", "InvalidSecurity", "AuthorizationHeaderMalformed");

    private S3Errors() {}

    static StorageException translate(String uri, String bucket, String endpoint, String op, String key, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if ("NoSuchKey".equals(code) || (status == 404 && code == null && key != null))
                return new NoSuchKeyException(uri, key);
            if ("NoSuchBucket".equals(code))
                return new StorageException("bucket '" + bucket + "' does not exist at " + endpoint + " (storage " + uri
                        + "): create it, or point jwren.storage at an existing bucket", key, null);
            if (status == 403 || code != null && AUTH_CODES.contains(code))
                return new StorageAccessDeniedException("S3 at " + endpoint + " refused " + op + " on bucket '" + bucket + "' (" + status
                        + (code == null ? "" : " " + code) + (key == null ? "" : ", key '" + key + "'")
                        + "): the credentials the AWS default provider chain found (environment, system properties, "
                        + "~/.aws profile, instance or task role) are wrong or lack " + iamAction(op) + " on " + uri
                        + (op.equals("GetObject") || op.equals("HeadObject")
                                ? " (S3 answers a missing key with 403 too when they lack s3:ListBucket)" : ""), key, null);
            return new StorageException("S3 " + op + (key == null ? "" : " of '" + key + "'") + " in " + uri + " at "
                    + endpoint + " failed: " + status + (code == null ? "" : " " + code), key, null);
        }
        if (MissingAwsCredentials.isCause(e))
            return new StorageException(MissingAwsCredentials.explain("S3 storage " + uri), key, e);
        if (e instanceof SdkClientException)
            return new StorageException("cannot reach S3 at " + endpoint + " for " + op + (key == null ? "" : " of '" + key + "'")
                    + " in " + uri + ": " + rootMessage(e), key, null);
        return new StorageException("S3 " + op + " in " + uri + " at " + endpoint + " failed: " + e.getClass().getSimpleName(), key, null);
    }

    /**
     * The IAM action an S3 operation needs, for messages: a denial rarely says which (S3 answers a bare "Access
     * Denied"), and the policy to fix is written in actions, not operations.
     */
    static String iamAction(String operation) {
        return switch (operation) {
            case "GetObject", "HeadObject" -> "s3:GetObject";
            case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" -> "s3:PutObject";
            case "AbortMultipartUpload" -> "s3:AbortMultipartUpload";
            case "ListObjectsV2" -> "s3:ListBucket";
            case "DeleteObjects" -> "s3:DeleteObject";
            default -> "permission for " + operation;
        };
    }

    /** DeleteObjects answered 200 but refused keys: say how many, the first one's code, and the action. */
    static StorageException refusedDeletes(String uri, String bucket, String endpoint, String keyPrefix,
                                           java.util.List<software.amazon.awssdk.services.s3.model.S3Error> refused) {
        var first = refused.get(0);
        String message = "S3 at " + endpoint + " refused DeleteObjects on bucket '" + bucket + "' for " + refused.size()
                + " key(s) under '" + keyPrefix + "' (first: " + first.code() + " for '" + first.key() + "'): the credentials "
                + "lack s3:DeleteObject on " + uri + ", or the objects are locked";
        return "AccessDenied".equals(first.code()) ? new StorageAccessDeniedException(message, keyPrefix, null)
                : new StorageException(message, keyPrefix, null);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

package io.jwren;

/**
 * Storage refused an operation for want of permission (S3's 403 and its credential errors, a file the process may
 * not read): no retry mends it, so a map whose client is refused fails its unfinished calls with it at once. The
 * message names the operation and, where the storage has them, the permission it needs.
 */
public class StorageAccessDeniedException extends StorageException {
    /**
     * A refused storage operation.
     *
     * @param message what was refused, naming the storage, the key and the permission to grant
     * @param key     the object key or prefix concerned, or null for store-wide refusals
     * @param cause   the underlying failure, or null
     */
    public StorageAccessDeniedException(String message, String key, Throwable cause) {
        super(message, key, cause);
    }
}

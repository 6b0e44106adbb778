package io.jwren;

/** Storage could not be read or written; the message names the storage and the key. */
public class StorageException extends JWrenException {
    private final String key;

    /**
     * A failed storage operation.
     *
     * @param message what failed, naming the storage and the key
     * @param key     the object key concerned, or null for store-wide failures
     * @param cause   the underlying failure, or null
     */
    public StorageException(String message, String key, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** {@return the object key concerned, or null for store-wide failures} */
    public String key() {
        return key;
    }
}

package io.jwren;

/** Storage could not be read or written; the message names the storage and the key. */
public class StorageException extends JWrenException {
    private final String key;

    public StorageException(String message, String key, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The object key concerned, or null for store-wide failures. */
    public String key() {
        return key;
    }
}

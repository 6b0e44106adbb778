package io.jwren;

/** A job object in storage is missing, corrupt or of an unknown protocol version; the message names its key. */
public class ProtocolException extends StorageException {
    /**
     * A job object that cannot be used.
     *
     * @param message what is wrong with it, naming the key
     * @param key     the object's key
     * @param cause   the underlying failure, or null
     */
    public ProtocolException(String message, String key, Throwable cause) {
        super(message, key, cause);
    }
}

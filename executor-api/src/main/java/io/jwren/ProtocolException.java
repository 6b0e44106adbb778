package io.jwren;

/** A job object in storage is missing, corrupt or of an unknown protocol version; the message names its key. */
public class ProtocolException extends StorageException {
    public ProtocolException(String message, String key, Throwable cause) {
        super(message, key, cause);
    }
}

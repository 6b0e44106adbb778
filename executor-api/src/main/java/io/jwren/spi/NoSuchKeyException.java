package io.jwren.spi;

import io.jwren.StorageException;

/** No object is stored at the key. */
public class NoSuchKeyException extends StorageException {
    /**
     * A missing object.
     *
     * @param storageUri the storage looked in, for the message
     * @param key        the key looked up
     */
    public NoSuchKeyException(String storageUri, String key) {
        super("no object '" + key + "' in " + storageUri, key, null);
    }
}

package io.jwren.spi;

import io.jwren.StorageException;

/** No object is stored at the key. */
public class NoSuchKeyException extends StorageException {
    public NoSuchKeyException(String storageUri, String key) {
        super("no object '" + key + "' in " + storageUri, key, null);
    }
}

package io.jwren.spi;

import io.jwren.Config;

import java.net.URI;

/**
 * Opens storages for one URI scheme. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.jwren.spi.StorageProvider}.
 */
public interface StorageProvider {
    /** {@return the URI scheme handled, e.g. {@code file}, {@code s3}, {@code mem}; matched ignoring case} */
    String scheme();

    /**
     * Opens a storage.
     *
     * @param uri    a URI of this provider's scheme
     * @param config the settings to open it with, such as an endpoint or a region
     * @return the opened storage, owned by the caller
     */
    Storage open(URI uri, Config config);
}

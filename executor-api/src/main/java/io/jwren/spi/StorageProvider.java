package io.jwren.spi;

import io.jwren.Config;

import java.net.URI;

/**
 * Opens storages for one URI scheme. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.jwren.spi.StorageProvider}.
 */
public interface StorageProvider {
    /** The URI scheme handled, e.g. {@code file}, {@code s3}, {@code mem}. */
    String scheme();

    Storage open(URI uri, Config config);
}

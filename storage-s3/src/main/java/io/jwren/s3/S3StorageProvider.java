package io.jwren.s3;

import io.jwren.Config;
import io.jwren.spi.Storage;
import io.jwren.spi.StorageProvider;

import java.net.URI;

/** {@code s3://bucket/prefix}: Amazon S3 or any S3-compatible server ({@code jwren.s3.endpoint}). */
public final class S3StorageProvider implements StorageProvider {
    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public Storage open(URI uri, Config config) {
        return S3Storage.open(uri, S3Settings.from(config));
    }
}

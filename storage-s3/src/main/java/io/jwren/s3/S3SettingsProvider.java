package io.jwren.s3;

import io.jwren.spi.Setting;
import io.jwren.spi.Setting.Kind;
import io.jwren.spi.SettingsProvider;

import java.util.List;

/** The jwren.s3.* settings: how clients and workers reach S3. Workers get all of them; credentials are never among them. */
public final class S3SettingsProvider implements SettingsProvider {
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("jwren.s3.endpoint", Kind.URI, null, "an S3-compatible endpoint (MinIO, S3Proxy, LocalStack); default: AWS")
                        .forwardedToWorkers(),
                Setting.of("jwren.s3.region", Kind.TEXT, null, "the bucket's region (default: AWS_REGION, else us-east-1)")
                        .forwardedToWorkers(),
                Setting.of("jwren.s3.path-style", Kind.BOOLEAN, null, "path-style addressing (default: true when an endpoint is set)")
                        .forwardedToWorkers(),
                Setting.of("jwren.s3.part-size", Kind.NUMBER, Integer.toString(S3Settings.DEFAULT_PART_SIZE),
                        "bytes per part of a multipart upload, at least 5 MiB").forwardedToWorkers(),
                Setting.of("jwren.s3.parts-in-flight", Kind.NUMBER, Integer.toString(S3Settings.DEFAULT_PARTS_IN_FLIGHT),
                        "parts of one upload sent at once").forwardedToWorkers(),
                Setting.of("jwren.s3.max-connections", Kind.NUMBER, Integer.toString(S3Settings.DEFAULT_MAX_CONNECTIONS),
                        "HTTP connections per client").forwardedToWorkers(),
                Setting.of("jwren.s3.max-attempts", Kind.NUMBER, Integer.toString(S3Settings.DEFAULT_MAX_ATTEMPTS),
                        "attempts per S3 request, the first included").forwardedToWorkers());
    }
}

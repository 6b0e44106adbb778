package io.jwren.testing.s3;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * LocalStack in Docker through Testcontainers: a second, independent S3 implementation for users who
 * have Docker. Test classes that use it are annotated {@code @Testcontainers(disabledWithoutDocker = true)}
 * and hold the container in a static {@code @Container} field, so they are skipped, not failed, where no
 * Docker engine answers. Testcontainers asks Docker for its socket while a container is constructed,
 * which is why the field must stay in a class the annotation disables.
 */
public final class LocalStackS3 {
    /**
     * A pinned community image: later {@code latest} tags may need a LocalStack licence, and 3.8 already
     * honours {@code If-None-Match: *} on PutObject (added in 3.7), which first-wins results rely on.
     */
    public static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:3.8.1");

    private LocalStackS3() {}

    public static LocalStackContainer container() {
        return new LocalStackContainer(IMAGE).withServices(LocalStackContainer.Service.S3);
    }


    public static StaticCredentialsProvider credentials(LocalStackContainer localstack) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
    }

    public static void createBucket(LocalStackContainer localstack, String name) {
        try (S3Client s3 = S3Client.builder().endpointOverride(localstack.getEndpoint())
                .region(Region.of(localstack.getRegion())).credentialsProvider(credentials(localstack))
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            s3.createBucket(b -> b.bucket(name));
        }
    }
}

package io.jwren.testing.s3;

import io.jwren.testing.PythonVenv;
import io.jwren.testing.ServerProcesses;
import io.jwren.testing.TestCache;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * LocalStack's S3 running on this host, without Docker: {@code localstack-core} 3.8.1 from the pinned venv
 * {@code io/jwren/testing/python/localstack.txt}, started as {@code python -m localstack.runtime.main} with only S3,
 * on a free loopback port, its files in a temp directory; a second, independent S3 implementation beside S3Proxy.
 * 3.8 honours {@code If-None-Match: *} on PutObject (added in 3.7), which first-wins results rely on. LocalStack
 * accepts any credentials.
 */
public final class LocalStackS3 implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Pattern S3_UP = Pattern.compile("\"s3\": *\"(available|running)\"");

    private final Process process;
    private final Path dir;
    private final URI endpoint;

    private LocalStackS3(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    /** Starts LocalStack's S3 and returns once it answers; installs the venv first if needed. */
    public static LocalStackS3 start() throws IOException {
        PythonVenv venv = PythonVenv.of("localstack");
        Path dir = Files.createTempDirectory("jwren-localstack");
        int port = ServerProcesses.freePorts(1)[0];
        Path log = dir.resolve("localstack.log");
        ProcessBuilder pb = new ProcessBuilder(venv.bin("python").toString(), "-m", "localstack.runtime.main")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(venv.environment());
        pb.environment().putAll(Map.of(
                "SERVICES", "s3",
                "EAGER_SERVICE_LOADING", "1",
                "GATEWAY_LISTEN", "127.0.0.1:" + port,
                "DNS_ADDRESS", "0", // no DNS server: it would want port 53 and an upstream resolver
                "OVERRIDE_IN_DOCKER", "0", // host mode even inside a container: files under FILESYSTEM_ROOT
                "FILESYSTEM_ROOT", dir.resolve("filesystem").toString(),
                "SKIP_SSL_CERT_DOWNLOAD", "1",
                "DISABLE_EVENTS", "1")); // no analytics calls home
        Process process = pb.start();
        process.getOutputStream().close();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        LocalStackS3 server = new LocalStackS3(process, dir, endpoint);
        try {
            ServerProcesses.awaitReady("LocalStack", process, log, STARTUP, () -> s3Up(endpoint));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static boolean s3Up(URI endpoint) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/_localstack/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && S3_UP.matcher(r.body()).find();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** LocalStack's conventional credentials: it checks none. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    public void createBucket(String name) {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials())
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    @Override
    public void close() {
        ServerProcesses.destroyTree(process, Duration.ofSeconds(10));
        TestCache.deleteTree(dir);
    }
}

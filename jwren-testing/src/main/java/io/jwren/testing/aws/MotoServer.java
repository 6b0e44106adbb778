package io.jwren.testing.aws;

import io.jwren.testing.PythonVenv;
import io.jwren.testing.ServerProcesses;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
import java.util.ArrayList;
import java.util.List;

/**
 * moto's server ({@code moto[server]} 5.2.5 from the pinned venv {@code python/moto.txt}) on a free port of
 * 127.0.0.1, started and stopped by the test: S3, the Lambda control plane (create, update, get; it cannot run a
 * function without Docker) and IAM. moto starts with authorization off, as it does by default; at start this
 * harness creates an administrator, an IAM user allowed everything, whose keys sign every setup call, so that
 * {@link #enforceAuthorization()} can switch checking on for the rest of the server's life.
 */
public final class MotoServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    /** The account moto puts everything in. */
    public static final String ACCOUNT = "123456789012";
    private static final String ADMIN_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}""";

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final MotoIam iam;
    private final AwsBasicCredentials admin;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        // Authorization is still off: moto takes any key for this first call, made under the name of the
        // administrator it creates.
        MotoIam bootstrap = new MotoIam(endpoint, AwsBasicCredentials.create("AKIAJWRENMOTOBOOTSTRAP", "bootstrap"));
        this.admin = bootstrap.createUser("jwren-admin", ADMIN_POLICY);
        this.iam = new MotoIam(endpoint, admin);
    }

    /** Starts moto's server, installing its venv into the test cache first if needed. */
    public static MotoServer start() {
        PythonVenv venv = PythonVenv.of("moto");
        int port = ServerProcesses.freePorts(1)[0];
        Path log;
        Process process;
        try {
            log = Files.createTempFile("jwren-moto-", ".log");
            List<String> command = new ArrayList<>(List.of(venv.bin("moto_server").toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(venv.environment());
            // Never the user's own AWS settings: moto would read a profile's region or credentials.
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            pb.environment().put("AWS_DEFAULT_REGION", REGION);
            process = pb.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server from " + venv.dir(), e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            ServerProcesses.awaitReady("moto_server", process, log, Duration.ofSeconds(90), () -> answers(endpoint));
            return new MotoServer(process, endpoint, log);
        } catch (RuntimeException e) {
            ServerProcesses.destroyTree(process, Duration.ofSeconds(5));
            throw e;
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
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

    public String region() {
        return REGION;
    }

    /** The administrator's keys: allowed everything, also once authorization is on. */
    public AwsBasicCredentials credentials() {
        return admin;
    }

    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(admin);
    }

    /** IAM as the administrator: users with exactly a policy, roles. */
    public MotoIam iam() {
        return iam;
    }

    /** An S3 client of the administrator's, path-style, for setup and for looking at what a test left. */
    public S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentialsProvider())
                .forcePathStyle(true).build();
    }

    public void createBucket(String name) {
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    /**
     * From now on moto checks every request's signature and its IAM permission ({@code /moto-api/reset-auth}
     * with 0 requests left unchecked). Only keys of IAM users it knows are accepted then.
     */
    public void enforceAuthorization() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset-auth"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("0")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("moto refused to switch authorization on: " + r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach moto at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's output so far, for failure messages. */
    public String logTail() {
        return ServerProcesses.tail(log, 4000);
    }

    @Override
    public void close() {
        ServerProcesses.destroyTree(process, Duration.ofSeconds(10));
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover log in the temp directory is no failure
        }
    }
}

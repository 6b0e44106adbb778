package io.jwren.local;

import io.jwren.s3.S3Settings;
import io.jwren.Await;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.StorageException;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.s3.S3Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials, seen from maps on the processes backend over S3Proxy with SigV4 on. S3Proxy only: it
 * checks signatures, where LocalStack's community image accepts any credentials, and its test
 * credentials are distinctive enough to search for, where LocalStack's are the word "test".
 *
 * <p>"First use" means the first S3 request, and that is made inside {@code map}: building an
 * executor contacts nothing (its storage is opened lazily, and opening an {@code S3Storage} sends no
 * request), and the first thing a map does with storage, before {@code map} returns, is upload its
 * inputs ({@code submit} takes the same path). So wrong credentials, like a missing bucket (see
 * {@link ProcessesOverS3Contract}), make {@code map} itself throw a {@link StorageException}, before
 * any worker JVM starts and with nothing of the job left in storage.
 */
class ProcessesS3CredentialsTest {
    static final String BUCKET = "jwren-secrets";
    static final List<String> CREDENTIALS = List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    /**
     * The executor's signing key, set so it can be searched for: it travels on the workers' stdin and nowhere else.
     * Random bytes: a key made of words ("...-of-the-credential-scan") shared 8-character pieces of its base64 with the
     * base64 of this test's own class name, which a result object on a DONE line rightly carries in its stack trace.
     */
    static final String SIGNING_KEY = "fY5S7OLt7RYaTZQAqI7HK3Y6pKx34CSf7lbcxDoMKDA=";
    static final List<String> SECRETS = List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, SIGNING_KEY);
    static S3ProxyServer s3;
    static S3Storage bucket;
    static AwsProperties previous;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        bucket = new S3Storage(URI.create("s3://" + BUCKET + "/"), S3Settings.pathStyle(s3.endpoint(), "us-east-1"), S3ProxyServer.credentials());
        previous = AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (previous != null) previous.restore();
        if (bucket != null) bucket.close();
        if (s3 != null) s3.close();
    }

    private static Executor.Builder processes(String prefix) {
        return Executor.builder().backend("processes").storage("s3://" + BUCKET + "/" + prefix)
                .property("jwren.s3.endpoint", s3.endpoint().toString()).property("jwren.workers", "2");
    }

    @Test
    void aWrongSecretFailsTheMapAtFirstUseNamingEndpointAndBucketAndNoCredential() {
        String wrongSecret = "Qx7Vb2Nm9Kd4Lp6Ht1Rz8Wc3Fy5Gs0Jm+Ea/Tu2Xn";
        AwsProperties.set(S3ProxyServer.ACCESS_KEY, wrongSecret);
        try (Executor ex = processes("wrong").build()) {
            StorageException e = assertThrows(StorageException.class, () -> ex.map((Integer x) -> x + 1, List.of(1, 2, 3)));
            System.out.println("wrong secret: " + e.getMessage());
            // the first request staging makes: a class bundle's check (HeadObject); inputs this small are not stored
            assertTrue(e.getMessage().startsWith("S3 at " + s3.endpoint() + " refused HeadObject on bucket '" + BUCKET + "' (403"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("credentials"), e.getMessage());
            assertEquals(List.of(), CredentialScan.findings("the exception, its causes and its stack trace",
                    CredentialScan.everything(e), List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, wrongSecret)));
            assertEquals(0, e.getSuppressed().length, "no cleanup after a refused upload: " + CredentialScan.everything(e));
            assertEquals(List.of(), WorkerJvms.of(ex.id()), "no worker JVM starts for a map that cannot be staged");
        } finally {
            AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
        }
        assertEquals(List.of(), bucket.list("wrong/"), "nothing of the job is left in storage");
    }

    /**
     * A real map with a failing call, then a search for the credentials in: every object in the bucket
     * (manifest, function, inputs and index, results with the stored error and log tails, class
     * bundles), the worker log files (the workers' stderr), the command lines of the worker JVMs, every
     * line the client sent to the workers and every line they answered, and the failed call's exception
     * as the caller gets it. The workers' environment is searched too, where the credentials must be:
     * it is how they travel, and it shows the search finds what is there. The signing key is searched for
     * in all of these too, the environment included; it must be in one place only, the workers' stdin. Linux only: it reads /proc,
     * and runs the workers through a bash wrapper around java that copies their stdin and stdout to files.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void noCredentialIsInStorageLogsCommandLinesOrTheLinesSentToWorkers(@TempDir Path scratch) throws Exception {
        Path channel = Files.createDirectories(scratch.resolve("channel"));
        List<String> findings = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<ProcessHandle> all = new ArrayList<>();
        String jobId;
        Executor ex = processes("run").property("jwren.processes.java-home", recordingJavaHome(scratch, channel).toString())
                .property("jwren.signing-key", SIGNING_KEY).build();
        try {
            files.add(Path.of(System.getProperty("java.io.tmpdir"), "jwren-workers", ex.id()));
            MapFuture<Integer> f = ex.map((Integer x) -> {
                System.out.println("call " + x + " prints to its log");
                if (x == 3) throw new IllegalStateException("call 3 fails");
                return x * 2;
            }, IntStream.rangeClosed(1, 6).boxed().toList(), MapOptions.builder().chunkSize(2).build());
            jobId = f.jobId();
            assertTrue(ex.await(f.calls(), Await.ALL, Duration.ofMinutes(2)).allDone(), "the map did not end in 2 minutes");
            ExecutionException failed = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
            findings.addAll(CredentialScan.findings("the failed call's exception", CredentialScan.everything(failed), SECRETS));

            List<ProcessHandle> workers = WorkerJvms.of(ex.id());
            assertEquals(2, workers.size(), "worker JVMs");
            all.addAll(workers);
            for (ProcessHandle w : workers) {
                Path proc = Path.of("/proc", Long.toString(w.pid()));
                findings.addAll(CredentialScan.findings("the command line of worker JVM " + w.pid(),
                        Files.readAllBytes(proc.resolve("cmdline")), SECRETS));
                byte[] environment = Files.readAllBytes(proc.resolve("environ"));
                assertTrue(new String(environment, StandardCharsets.ISO_8859_1).contains("AWS_SECRET_ACCESS_KEY=" + S3ProxyServer.SECRET_KEY),
                        "credentials reach the workers by their environment");
                assertEquals(CREDENTIALS.size(), CredentialScan.findings("environment", environment, CREDENTIALS).size(),
                        "the search finds credentials where they are");
                findings.addAll(CredentialScan.findings("the environment of worker JVM " + w.pid(), environment, List.of(SIGNING_KEY)));
                w.descendants().forEach(all::add); // the tee processes recording the channel
            }
        } finally {
            ex.close();
        }
        for (ProcessHandle p : all) p.onExit().get(30, TimeUnit.SECONDS); // logs and recordings complete

        List<String> keys = bucket.list("run/");
        String job = "run/jobs/" + jobId + "/";
        // A job this small travels inline: its function and inputs are in the lines sent to the workers, not in storage.
        for (String expected : List.of("manifest", "results/0", "results/1", "results/2"))
            assertTrue(keys.contains(job + expected), "searched " + job + expected + ": " + keys);
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("run/classes/")), "searched the class bundles: " + keys);
        for (String key : keys) findings.addAll(CredentialScan.findings("object " + key, bucket.get(key), SECRETS));

        files.add(channel);
        List<Path> searched = new ArrayList<>();
        for (Path dir : files) {
            try (Stream<Path> found = Files.walk(dir)) {
                for (Path file : found.filter(Files::isRegularFile).toList()) {
                    searched.add(file);
                    // the lines sent to a worker are the key's own channel: searched for the credentials only
                    boolean keyChannel = file.getFileName().toString().startsWith("stdin-");
                    findings.addAll(CredentialScan.findings(file.toString(), Files.readAllBytes(file), keyChannel ? CREDENTIALS : SECRETS));
                }
            }
        }
        String sent = readAll(searched, "stdin-");
        String answered = readAll(searched, "stdout-");
        String logs = readAll(searched, "worker-");
        assertTrue(sent.contains("RUN " + jobId + " 2 4 2 0 "), "the recorded invocation lines: " + sent);
        for (Path file : searched) {
            // a JVM that read nothing (the class archive's training run, which runs a job of its own) had no key to get
            String lines = Files.readString(file);
            if (file.getFileName().toString().startsWith("stdin-") && !lines.isEmpty())
                assertTrue(lines.startsWith("KEY " + SIGNING_KEY + "\n"), "the key is the first line a worker reads: " + file);
        }
        assertTrue(answered.contains("DONE " + jobId + " 2 0"), "the recorded answers: " + answered);
        assertTrue(logs.contains("call 5 prints to its log"), "the worker logs: " + logs);
        // what travels base64-encoded on the channel: the job's objects, the results sent back
        List<String> encoded = new ArrayList<>();
        for (String line : (sent + answered).split("\n")) {
            String[] p = line.split(" ");
            if (line.startsWith("JOB ") && p.length == 3) encoded.add(p[2]);
            if (line.startsWith("DONE ") && p.length == 5) encoded.add(p[4]);
        }
        assertTrue(sent.contains("JOB " + jobId + " "), "the job's objects went to the workers: " + sent);
        assertTrue(encoded.size() >= 4, "the job's objects, and results sent back: " + encoded.size());
        for (String e : encoded)
            findings.addAll(CredentialScan.findings("a base64 payload on the channel", java.util.Base64.getDecoder().decode(e), SECRETS));
        assertEquals(List.of(), findings);
    }

    private static String readAll(List<Path> files, String namePrefix) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            if (file.getFileName().toString().startsWith(namePrefix)) all.append(Files.readString(file));
        }
        return all.toString();
    }

    /**
     * A Java home whose {@code bin/java} runs this JVM's java with the same arguments, with its stdin and
     * stdout passing through {@code tee} into files in {@code channel}. The wrapper execs java, so the
     * process the backend started, and reads the command line of, is the worker JVM itself.
     */
    private static Path recordingJavaHome(Path scratch, Path channel) throws IOException {
        Path home = scratch.resolve("recording-jdk");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        String real = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(java, "#!/bin/bash\n"
                + "exec '" + real + "' \"$@\" < <(exec tee -a '" + channel + "/stdin-'$$) > >(exec tee -a '" + channel + "/stdout-'$$)\n");
        assertTrue(java.toFile().setExecutable(true));
        return home;
    }
}

package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.StorageException;
import io.jwren.engine.closure.RuntimeClasspath;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.local.shipping.Shapes.Point;
import io.jwren.s3.S3Settings;
import io.jwren.s3.S3Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole maps through S3 on the processes backend, on any S3-compatible server: the client stages the
 * job, worker JVMs read the function, the bundles and their byte range of the inputs from it and write
 * their results there. Subclasses start their server (in their constructor, or as a Testcontainers
 * {@code @Container}) and say how to reach it. Credentials reach the client and the workers as they
 * would a user's: through the {@code aws.*} system properties the AWS default chain reads, which the
 * processes backend hands to its workers by environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProcessesOverS3Contract {
    static final String BUCKET = "jwren-maps";
    Executor ex;
    private AwsProperties previous;

    /** Where the server is: its endpoint and region. */
    abstract S3Settings settings();

    /** Credentials the server accepts. */
    abstract AwsCredentials credentials();

    abstract void createBucket(String name);

    URI endpoint() {
        return settings().endpoint();
    }

    /** Credential strings distinctive enough to search messages for; empty where they are common words. */
    abstract List<String> searchableCredentials();

    /** An executor on the processes backend with two workers, storing in {@code storage} on this server. */
    Executor processesOn(String storage) {
        return Executor.builder().backend("processes").storage(storage)
                .property("jwren.s3.endpoint", endpoint().toString()).property("jwren.s3.region", settings().region())
                .property("jwren.workers", "2")
                // the request-count test measures maps alone: no retention sweep of the bucket beside them
                .property("jwren.retention", "0s")
                // the attach JVMs below read the jobs: they need the key that signed them
                .property(SharedSigningKey.SETTING, SharedSigningKey.VALUE).build();
    }

    @BeforeAll
    void start() {
        createBucket(BUCKET);
        previous = AwsProperties.set(credentials().accessKeyId(), credentials().secretAccessKey());
        ex = processesOn("s3://" + BUCKET + "/run");
    }

    @AfterAll
    void stop() {
        if (ex != null) ex.close();
        if (previous != null) previous.restore();
    }

    @TempDir
    Path scratch;

    @Test
    void aMapRunsThroughS3WithShippedClasses() throws Exception {
        List<Integer> inputs = IntStream.rangeClosed(1, 200).boxed().toList();
        List<Integer> expected = inputs.stream().map(Collatz::steps).toList();
        List<Integer> out = ex.map((Integer n) -> Collatz.steps(n), inputs,
                MapOptions.builder().chunkSize(10).build()).get(120, TimeUnit.SECONDS);
        assertEquals(expected, out);
    }

    @Test
    void aFunctionCapturesTheStoreAndReadsAndWritesObjectsWithTheWorkersCredentials() throws Exception {
        ObjectStoreTest.StoreChecks.readsAndWritesOnWorkers(ex);
    }

    @Test
    void aNewJvmAttachesToAFinishedJobAndCollectsItsResultsFromStorage() throws Exception {
        MapFuture<Point> f = ex.map((Integer i) -> new Point(i, i * i), List.of(1, 2, 3, 4, 5, 6, 7),
                MapOptions.builder().chunkSize(3).build());
        f.get(120, TimeUnit.SECONDS);
        String out = finish(startAttachJvm(f.jobId(), scratch));
        assertTrue(out.contains("RESULTS [Point[x=1, y=1], Point[x=2, y=4], Point[x=3, y=9], Point[x=4, y=16], "
                + "Point[x=5, y=25], Point[x=6, y=36], Point[x=7, y=49]]"), out);
    }

    @Test
    void aNewJvmAttachesToARunningJobAndCollectsEveryResultAsItArrives() throws Exception {
        Path signals = Files.createDirectories(scratch.resolve("signals"));
        String dir = signals.toString();
        MapFuture<Point> f = ex.map((Integer i) -> {
            FileSignals.waitFor(dir, "go");
            return new Point(i, -i);
        }, List.of(1, 2, 3, 4), MapOptions.builder().chunkSize(1).build());
        Process attach = startAttachJvm(f.jobId(), signals);
        FileSignals.awaitFile(signals, "attached", Duration.ofMinutes(2));
        try (S3Storage bucket = bucket()) {
            assertEquals(List.of(), bucket.list("jobs/" + f.jobId() + "/results/"), "the job was still running when attached");
        }
        FileSignals.create(signals, "go");
        String out = finish(attach);
        assertTrue(out.contains("RESULTS [Point[x=1, y=-1], Point[x=2, y=-2], Point[x=3, y=-3], Point[x=4, y=-4]]"), out);
        assertEquals(4, f.get(60, TimeUnit.SECONDS).size());
    }

    /**
     * A JVM without the test classes that attaches to {@code jobId} (writing {@code signals/attached} once
     * it has) and prints its results: Point reaches it only through the job's class bundles.
     */
    private Process startAttachJvm(String jobId, Path signals) throws Exception {
        Path classes = SourceCompiler.compile(scratch.resolve("attach"), Map.of("attach.AttachMain",
                "package attach; import io.jwren.Executor; import java.nio.file.*; import java.util.concurrent.TimeUnit;"
                        + " public final class AttachMain { public static void main(String[] a) throws Exception {"
                        + " try (Executor ex = Executor.builder().storage(a[0]).property(\"jwren.s3.endpoint\", a[1])"
                        + " .property(\"jwren.s3.region\", a[2]).build()) {"
                        + " var job = ex.attach(a[3]); Files.writeString(Path.of(a[4], \"attached\"), \"yes\");"
                        + " System.out.println(\"RESULTS \" + job.get(60, TimeUnit.SECONDS)); } } }"));
        String classpath = RuntimeClasspath.forWorkerJvm() + File.pathSeparator
                + Path.of(ProcessesBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator + classes;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "attach.AttachMain", "s3://" + BUCKET + "/run", endpoint().toString(), settings().region(),
                jobId, signals.toString())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("attach.log").toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", credentials().accessKeyId());
        pb.environment().put("AWS_SECRET_ACCESS_KEY", credentials().secretAccessKey());
        pb.environment().put("JWREN_SIGNING_KEY", SharedSigningKey.VALUE);
        return pb.start();
    }

    /** Waits for the attach JVM to exit cleanly; returns its output. */
    private String finish(Process p) throws Exception {
        boolean exited = p.waitFor(2, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly();
        String out = Files.readString(scratch.resolve("attach.log"));
        assertTrue(exited && p.exitValue() == 0, out);
        return out;
    }

    /** The bucket as the client sees it, for checking what a job left there. */
    S3Storage bucket() {
        return new S3Storage(URI.create("s3://" + BUCKET + "/run"), settings(), StaticCredentialsProvider.create(credentials()));
    }

    @Test
    void resultsOverFiveMegabytesTravelAsObjectsOfTheirOwnAndArriveWhole() throws Exception {
        int doubles = 800_000; // 6.4 MB each, past the inline budget of a result object
        MapFuture<double[]> f = ex.map((Integer seed) -> Waves.sampled(seed, doubles), List.of(1, 2, 3),
                MapOptions.builder().chunkSize(3).build());
        List<double[]> out = f.get(120, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            assertTrue(Arrays.equals(Waves.sampled(i + 1, doubles), out.get(i)), "value of call " + i);
        }
        try (S3Storage bucket = bucket()) {
            String job = "jobs/" + f.jobId() + "/";
            List<String> values = bucket.list(job + "values/");
            assertEquals(3, values.size(), "one value object per big result: " + values);
            for (String key : values) {
                try (InputStream in = bucket.open(key)) {
                    assertTrue(in.transferTo(OutputStream.nullOutputStream()) > 6_400_000L, key);
                }
            }
            int resultBytes = bucket.get(job + "results/0").length;
            assertTrue(resultBytes < 4096, "the result object only names the value objects: " + resultBytes + " bytes");
        }
    }

    /** Deterministic big values, computed the same on the worker and in the test. */
    static final class Waves {
        static double[] sampled(int seed, int n) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Math.sin(seed * 0.001 * i) + seed;
            return v;
        }
    }

    @Test
    void attachingToAJobThatIsNotThereSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.attach("nope-M000"));
        assertTrue(e.getMessage().contains("no job 'nope-M000' in s3://" + BUCKET + "/run/"), e.getMessage());
    }

    /**
     * A bucket that does not exist fails the map at first use: building the executor sends no request,
     * and the first one, the upload of the job's inputs, is made inside {@code map} before it returns,
     * so {@code map} itself throws, before any worker JVM starts.
     */
    @Test
    void aMissingBucketFailsTheMapAtFirstUseSayingItDoesNotExist() {
        try (Executor missing = processesOn("s3://jwren-absent/run")) {
            StorageException e = assertThrows(StorageException.class, () -> missing.map((Integer x) -> x + 1, List.of(1, 2, 3)));
            System.out.println("missing bucket: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("bucket 'jwren-absent' does not exist at " + endpoint() + " (storage s3://jwren-absent/run/)"),
                    e.getMessage());
            assertEquals(List.of(), CredentialScan.findings("the exception", CredentialScan.everything(e), searchableCredentials()));
            assertEquals(0, e.getSuppressed().length, "no cleanup after a refused upload: " + CredentialScan.everything(e));
            assertEquals(List.of(), WorkerJvms.of(missing.id()), "no worker JVM starts for a map that cannot be staged");
        }
    }
}

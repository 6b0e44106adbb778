package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.core.closure.RuntimeClasspath;
import io.jwren.local.shipping.Shapes.Point;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.s3.CountingBlobStore;
import io.jwren.s3.HttpFaultProxy;
import io.jwren.s3.S3ProxyServer;
import io.jwren.s3.S3Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole maps through S3: the client stages the job in S3Proxy, worker JVMs read the function, the
 * bundles and their byte range of the inputs from it and write their results there.
 */
class ProcessesOverS3Test {
    static S3ProxyServer s3;
    static Executor ex;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket("jwren-maps");
        S3ProxyServer.useAsDefaultCredentials();
        ex = Executor.builder().backend("processes").storage("s3://jwren-maps/run")
                .property("jwren.s3.endpoint", s3.endpoint().toString())
                .property("jwren.workers", "2").build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ex != null) ex.close();
        s3.close();
    }

    @TempDir
    Path scratch;

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
        FileSignals.awaitFile(signals, "attached", java.time.Duration.ofMinutes(2));
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
                        + " try (Executor ex = Executor.builder().storage(a[0]).property(\"jwren.s3.endpoint\", a[1]).build()) {"
                        + " var job = ex.attach(a[2]); Files.writeString(Path.of(a[3], \"attached\"), \"yes\");"
                        + " System.out.println(\"RESULTS \" + job.get(60, TimeUnit.SECONDS)); } } }"));
        String classpath = RuntimeClasspath.forWorkerJvm() + File.pathSeparator
                + Path.of(ProcessesBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator + classes;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "attach.AttachMain", "s3://jwren-maps/run", s3.endpoint().toString(), jobId,
                signals.toString())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("attach.log").toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
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

    private static S3Storage bucket() {
        return new S3Storage(java.net.URI.create("s3://jwren-maps/run"), S3ProxyServer.settings(s3.endpoint()),
                S3ProxyServer.credentials());
    }

    @Test
    void attachingToAJobThatIsNotThereSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.attach("nope-M000"));
        assertTrue(e.getMessage().contains("no job 'nope-M000' in s3://jwren-maps/run/"), e.getMessage());
    }

    @Test
    void requestsStayWithinOnePerInvocationPlusAFewAndUnchangedCodeUploadsNoBundle() throws Exception {
        int n = 400;
        int chunk = 40;
        List<Integer> inputs = IntStream.range(0, n).boxed().toList();
        MapOptions options = MapOptions.builder().chunkSize(chunk).build();
        ex.map((Integer x) -> x + 1, inputs, options).get(120, TimeUnit.SECONDS); // bundles and workers warm
        s3.resetOperations();
        MapFuture<Integer> second = ex.map((Integer x) -> x + 1, inputs, options);
        assertEquals(n, second.get(120, TimeUnit.SECONDS).size());
        List<CountingBlobStore.Operation> ops = s3.operations();
        String job = "run/jobs/" + second.jobId() + "/";
        // The client's share: stage function, inputs, index and manifest; read each invocation's result.
        long client = ops.stream().filter(o -> !o.kind().equals("LIST")
                && (o.kind().equals("PUT") && o.key().startsWith(job) && !o.key().startsWith(job + "results/")
                || o.kind().equals("GET") && o.key().startsWith(job + "results/")
                || o.key().startsWith("run/classes/") && !o.kind().equals("GET"))).count();
        long bundleUploads = ops.stream().filter(o -> o.key().startsWith("run/classes/") && !o.kind().equals("GET")).count();
        long all = ops.stream().filter(o -> !o.kind().equals("LIST")).count();
        System.out.printf("requests: client %d, all but listings %d, for %d calls at chunk %d (%.3f per call)%n",
                client, all, n, chunk, (double) all / n);
        assertEquals(0, bundleUploads, "unchanged code: no bundle is checked or uploaded again: " + ops);
        assertTrue(client <= n / chunk + 10, "client requests " + client + " > N/c + 10 = " + (n / chunk + 10) + ": " + ops);
        // Workers: per invocation one ranged read and one result write, plus the job's manifest and
        // function once per worker JVM (two here); S3Proxy may add a lookup per conditional write.
        assertTrue(all <= client + 3L * (n / chunk) + 2 * 2, "all requests " + all + ": " + ops);
    }

    @Test
    void aMapCompletesWithEveryResultOnceWhenAboutOneRequestInTenFails() throws Exception {
        try (HttpFaultProxy faults = HttpFaultProxy.start("127.0.0.1", s3.port(), 0.10, 7);
             Executor flaky = Executor.builder().backend("processes").storage("s3://jwren-maps/flaky")
                     .property("jwren.s3.endpoint", faults.endpoint()).property("jwren.workers", "2").build()) {
            List<Integer> inputs = IntStream.rangeClosed(1, 300).boxed().toList();
            MapFuture<Integer> f = flaky.map((Integer n) -> Collatz.steps(n), inputs, MapOptions.builder().chunkSize(10).build());
            assertEquals(inputs.stream().map(Collatz::steps).toList(), f.get(180, TimeUnit.SECONDS));
            assertTrue(faults.faultsInjected() > 0, "no fault was injected: " + faults.requests().size() + " requests");
            long resultObjects = s3.operations().stream()
                    .filter(o -> o.kind().equals("PUT") && o.key().startsWith("flaky/jobs/" + f.jobId() + "/results/"))
                    .map(CountingBlobStore.Operation::key).distinct().count();
            assertEquals(30, resultObjects, "one result object per invocation");
            System.out.printf("faults: %d of %d requests failed, map complete%n", faults.faultsInjected(), faults.requests().size());
        }
    }

    @Test
    void aMapRunsThroughS3WithShippedClasses() throws Exception {
        List<Integer> inputs = IntStream.rangeClosed(1, 200).boxed().toList();
        List<Integer> expected = inputs.stream().map(Collatz::steps).toList();
        List<Integer> out = ex.map((Integer n) -> Collatz.steps(n), inputs,
                MapOptions.builder().chunkSize(10).build()).get(120, TimeUnit.SECONDS);
        assertEquals(expected, out);
    }

    @Test
    void resultsOverFiveMegabytesTravelAsObjectsOfTheirOwnAndArriveWhole() throws Exception {
        int doubles = 800_000; // 6.4 MB each, past the inline budget of a result object
        MapFuture<double[]> f = ex.map((Integer seed) -> Waves.sampled(seed, doubles), List.of(1, 2, 3),
                MapOptions.builder().chunkSize(3).build());
        List<double[]> out = f.get(120, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            assertTrue(java.util.Arrays.equals(Waves.sampled(i + 1, doubles), out.get(i)), "value of call " + i);
        }
        try (S3Storage bucket = bucket()) {
            String job = "jobs/" + f.jobId() + "/";
            List<String> values = bucket.list(job + "values/");
            assertEquals(3, values.size(), "one value object per big result: " + values);
            for (String key : values) {
                try (java.io.InputStream in = bucket.open(key)) {
                    assertTrue(in.transferTo(java.io.OutputStream.nullOutputStream()) > 6_400_000L, key);
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
}

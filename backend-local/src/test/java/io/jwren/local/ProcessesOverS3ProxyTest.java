package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.HttpFaultProxy;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.s3.S3Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Maps through S3Proxy embedded in this JVM (SigV4 on); runs everywhere. Besides the contract, what
 * needs S3Proxy's hooks: request counts at the server, and a fault-injecting proxy in front of it.
 */
class ProcessesOverS3ProxyTest extends ProcessesOverS3Contract {
    private final S3ProxyServer s3;

    ProcessesOverS3ProxyTest() throws Exception {
        s3 = S3ProxyServer.start(null);
    }

    @AfterAll
    void stopServer() throws Exception {
        s3.close();
    }

    @Override
    S3Settings settings() {
        return S3Settings.pathStyle(s3.endpoint(), "us-east-1");
    }

    @Override
    AwsCredentials credentials() {
        return S3ProxyServer.credentials().resolveCredentials();
    }

    @Override
    void createBucket(String name) {
        s3.createBucket(name);
    }

    @Override
    List<String> searchableCredentials() {
        return List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
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
             Executor flaky = Executor.builder().backend("processes").storage("s3://" + BUCKET + "/flaky")
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
}

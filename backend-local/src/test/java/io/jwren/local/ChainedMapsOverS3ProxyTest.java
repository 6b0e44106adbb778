package io.jwren.local;

import io.jwren.Executor;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Chained maps on worker JVMs over S3Proxy, counting requests at the server. There the second map's workers and the
 * client both read result objects, so the count tells them apart by number: each second-stage invocation reads the
 * one first-stage result object holding its inputs once, and a client that read them too would make it twice.
 */
class ChainedMapsOverS3ProxyTest extends ChainedMapsContract {
    private static final String BUCKET = "jwren-chained";
    private final S3ProxyServer s3;
    private final AwsProperties previous;
    private final Executor ex;
    private final Executor attacher;

    ChainedMapsOverS3ProxyTest() throws Exception {
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
        previous = AwsProperties.set(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
        ex = on("processes");
        attacher = on("stage-only");
    }

    private Executor on(String backend) {
        return Executor.builder().backend(backend).storage("s3://" + BUCKET + "/chain")
                .property("jwren.s3.endpoint", s3.endpoint().toString()).property("jwren.s3.region", "us-east-1")
                .property("jwren.workers", "2").property("jwren.retention", "0s")
                .property(SharedSigningKey.SETTING, SharedSigningKey.VALUE).build();
    }

    @AfterAll
    void close() throws Exception {
        ex.close();
        attacher.close();
        previous.restore();
        s3.close();
    }

    @Override
    Executor executor() {
        return ex;
    }

    private Map<String, Long> getsUnder(String jobId) {
        String job = "chain/jobs/" + jobId + "/";
        return s3.operations().stream().filter(o -> o.kind().equals("GET"))
                .map(CountingBlobStore.Operation::key)
                .filter(k -> k.startsWith(job + "results/") || k.startsWith(job + "values/"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Override
    long assertClientReadNoResult(String jobId) {
        Map<String, Long> gets = getsUnder(jobId);
        assertFalse(gets.isEmpty(), "the second stage's workers read no result object of " + jobId);
        List<String> twice = gets.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), twice, "read more than once, so by the client too: " + gets);
        return resultReads(jobId);
    }

    @Override
    long resultReads(String jobId) {
        return getsUnder(jobId).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    Executor attacher() {
        return attacher;
    }
}

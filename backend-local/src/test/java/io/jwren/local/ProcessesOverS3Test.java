package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapOptions;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void aMapRunsThroughS3WithShippedClasses() throws Exception {
        List<Integer> inputs = IntStream.rangeClosed(1, 200).boxed().toList();
        List<Integer> expected = inputs.stream().map(Collatz::steps).toList();
        List<Integer> out = ex.map((Integer n) -> Collatz.steps(n), inputs,
                MapOptions.builder().chunkSize(10).build()).get(120, TimeUnit.SECONDS);
        assertEquals(expected, out);
    }
}

package io.jwren.examples;

import io.jwren.s3.S3Settings;
import io.jwren.Executor;
import io.jwren.MapOptions;
import io.jwren.testing.s3.CountingBlobStore;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.s3.S3Storage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Figures through S3, against S3Proxy started in this JVM with its in-memory store (SigV4 on, as in the
 * tests): processes calls/s at chunk 1000, storage requests per call, and how fast a map's inputs
 * upload compared with one raw SDK PUT of the same bytes in the same run. In memory, not on disk: on a
 * filesystem store S3Proxy writes a multipart object twice (parts, then the whole), a cost of that
 * server rather than of the client, and disk write-back made the figures swing by half.
 */
final class S3Bench {
    private static final String BUCKET = "jwren-bench";
    private static final int INPUT_BYTES = 4 << 20;

    private final boolean quick;

    S3Bench(boolean quick) {
        this.quick = quick;
    }

    void run(MetricPrinter metrics, PrintWriter log) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(null)) {
            s3.createBucket(BUCKET);
            S3ProxyServer.useAsDefaultCredentials();
            try (Executor executor = Executor.builder().backend("processes").storage("s3://" + BUCKET + "/run")
                    .property("jwren.s3.endpoint", s3.endpoint().toString()).build()) {
                new ProcessesThroughputBench(quick, "processes_s3", 0, 1000).run(metrics, executor, log);
                requestsPerCall(metrics, executor, s3, log);
                uploads(metrics, executor, s3, log);
            }
        }
    }

    /** Every request S3Proxy served for one map, listings included, over its call count. */
    private void requestsPerCall(MetricPrinter metrics, Executor executor, S3ProxyServer s3, PrintWriter log)
            throws Exception {
        int calls = quick ? 20_000 : 100_000;
        int chunk = 1000;
        s3.resetOperations();
        ProcessesThroughputBench.timeMap(executor, TrivialCalls.identity(), calls, chunk);
        List<CountingBlobStore.Operation> ops = s3.operations();
        long listings = ops.stream().filter(o -> o.kind().equals("LIST")).count();
        log.printf("# s3 requests: %d for %d calls at chunk %d (%d listings; %d invocations)%n",
                ops.size(), calls, chunk, listings, calls / chunk);
        log.flush();
        metrics.print("s3_requests_per_call", (double) ops.size() / calls, "requests");
    }

    /**
     * A map's inputs (random 4 MiB arrays) staged by {@code map} — Kryo encoding, multipart upload, index
     * and manifest — against one PutObject of the same bytes through the SDK's sync client, alternated.
     */
    private void uploads(MetricPrinter metrics, Executor executor, S3ProxyServer s3, PrintWriter log) throws Exception {
        int count = quick ? 8 : 64;
        List<byte[]> inputs = new ArrayList<>(count);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[INPUT_BYTES];
            for (int j = 0; j < b.length; j += 8) {
                long r = random.nextLong();
                for (int k = 0; k < 8; k++) b[j + k] = (byte) (r >>> (8 * k));
            }
            inputs.add(b);
        }
        byte[] all = new byte[count * INPUT_BYTES];
        for (int i = 0; i < count; i++) System.arraycopy(inputs.get(i), 0, all, i * INPUT_BYTES, INPUT_BYTES);
        double mb = all.length / 1e6;

        int runs = quick ? 1 : 5; // disk and server noise: the median of five, alternating, is stable
        Samples jwren = new Samples(runs);
        Samples raw = new Samples(runs);
        MapOptions options = MapOptions.builder().chunkSize(8).build();
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(S3ProxyServer.credentials())
                .httpClientBuilder(ApacheHttpClient.builder()).build();
             S3Storage bucket = new S3Storage(URI.create("s3://" + BUCKET + "/run"), S3Settings.pathStyle(s3.endpoint(), "us-east-1"),
                     S3ProxyServer.credentials())) {
            for (int i = 0; i <= runs; i++) { // run 0 warms both paths
                long start = System.nanoTime();
                var future = executor.map(TrivialCalls.length(), inputs, options);
                double jwrenMs = Samples.millisSince(start);
                List<Integer> lengths = future.get();
                if (!lengths.equals(IntStream.range(0, count).mapToObj(x -> INPUT_BYTES).toList()))
                    throw new IllegalStateException("upload bench: wrong lengths " + lengths);
                bucket.deletePrefix("jobs/" + future.jobId() + "/"); // the store is memory: keep it small

                String rawKey = "raw/upload-" + i;
                start = System.nanoTime();
                client.putObject(PutObjectRequest.builder().bucket(BUCKET).key(rawKey).build(),
                        RequestBody.fromBytes(all));
                double rawMs = Samples.millisSince(start);
                client.deleteObject(b -> b.bucket(BUCKET).key(rawKey));
                if (i > 0) {
                    jwren.add(mb / (jwrenMs / 1000));
                    raw.add(mb / (rawMs / 1000));
                }
            }
        }
        log.printf("# s3 upload of %.0f MB: jwren map staging MB/s %s, raw PutObject MB/s %s%n", mb, jwren, raw);
        log.flush();
        metrics.print("s3_input_upload_mb_per_s", jwren.median(), "MB/s");
        metrics.print("s3_raw_put_mb_per_s", raw.median(), "MB/s");
        metrics.print("s3_upload_time_vs_raw_put_ratio", raw.median() / jwren.median(), "x");
    }
}

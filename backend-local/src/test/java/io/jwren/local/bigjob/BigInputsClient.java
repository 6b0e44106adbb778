package io.jwren.local.bigjob;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;

import java.util.AbstractList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The client of {@code BigInputsOverS3Test}, run in a JVM of its own with a small heap: it maps a CRC32
 * over inputs of 1 MiB each that are made on demand and never kept, so only jwren itself could hold
 * them all at once. It prints the heap it really got, the job id, how long staging took and every result.
 *
 * <p>Arguments: storage URI, S3 endpoint, input count, seed, chunk size, part size, parts in flight.
 */
public final class BigInputsClient {
    public static final int INPUT_BYTES = 1 << 20;

    private BigInputsClient() {}

    /** Input {@code i} of the job seeded with {@code seed}: the same bytes whoever asks. */
    public static byte[] input(long seed, int i) {
        byte[] bytes = new byte[INPUT_BYTES];
        new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1))).nextBytes(bytes);
        return bytes;
    }

    public static long checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The inputs as a list whose elements are made when asked for; counts the time spent making them. */
    static final class LazyInputs extends AbstractList<byte[]> {
        private final long seed;
        private final int count;
        long makingNanos;

        LazyInputs(long seed, int count) {
            this.seed = seed;
            this.count = count;
        }

        @Override
        public byte[] get(int i) {
            long start = System.nanoTime();
            byte[] bytes = input(seed, i);
            makingNanos += System.nanoTime() - start;
            return bytes;
        }

        @Override
        public int size() {
            return count;
        }
    }

    public static void main(String[] args) throws Exception {
        String storage = args[0];
        String endpoint = args[1];
        int count = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int chunk = Integer.parseInt(args[4]);
        System.out.println("MAX_MEMORY " + Runtime.getRuntime().maxMemory());
        LazyInputs inputs = new LazyInputs(seed, count);
        try (Executor ex = Executor.builder().backend("processes").storage(storage)
                .property("jwren.s3.endpoint", endpoint).property("jwren.workers", "2")
                .property("jwren.s3.part-size", args[5]).property("jwren.s3.parts-in-flight", args[6]).build()) {
            long start = System.nanoTime();
            MapFuture<Long> job = ex.map((byte[] in) -> checksum(in), inputs, MapOptions.builder().chunkSize(chunk).build());
            long staged = System.nanoTime() - start; // map returns once the job is in storage
            System.out.println("JOB " + job.jobId());
            System.out.println("STAGED_NANOS " + staged);
            System.out.println("MAKING_NANOS " + inputs.makingNanos);
            List<Long> results = job.get(5, TimeUnit.MINUTES);
            System.out.println("COMPUTED_NANOS " + (System.nanoTime() - start));
            for (int i = 0; i < results.size(); i++) System.out.println("RESULT " + i + " " + results.get(i));
            System.out.println("DONE " + results.size());
        }
    }
}

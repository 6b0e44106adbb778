package io.jwren.examples;

import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.SerializableFunction;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.protocol.BlockTags;
import io.jwren.engine.protocol.CallMetrics;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.engine.protocol.ResultValueReader;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import io.jwren.testing.s3.S3ProxyServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Figure (f): what signing job objects costs at chunk 1000, on the paths whose work grows with the calls, each
 * timed with and without the executor's key on the same storage, alternating. Four stages, the engine's own protocol
 * classes: the client staging the inputs (records streamed into the inputs object, block-tagged when signed; the
 * index; the manifest); the workers reading and decoding their ranges (checking each block first); each worker
 * encoding and sealing one result object of 1000 inline values per invocation; the client reading, checking and
 * decoding those result objects and their values. They add up to the client's share (staging and result reading,
 * what the 5 % target of issue 17 is about) and the workers' share. Storage is a local directory, whose latency
 * would only dilute the difference. Then the same end to end: maps on the processes backend with and without
 * signing. Then the client's stages on S3 (S3Proxy).
 */
final class SigningCostBench {
    static final int CHUNK = 1000;

    private final int calls;
    /** Rounds of the protocol stages, each running both sides interleaved. */
    private final int warmupRounds;
    private final int rounds;
    /** Rounds of the end-to-end maps, each one map per side. */
    private final int warmups;
    private final int runs;

    SigningCostBench(boolean quick) {
        this.calls = quick ? 100_000 : 1_000_000;
        this.warmupRounds = quick ? 1 : 3;
        this.rounds = quick ? 3 : 11;
        this.warmups = quick ? 2 : 6;
        this.runs = quick ? 4 : 40; // even: the ratios pair rounds of the two orders
    }

    /** What the bench reports: the four timed stages, then sums of them. */
    private static final String[] FIGURES = {"stage", "worker_inputs", "results_seal", "results_read", "client", "worker",
            "total"};
    /** The client's share: what issue 17's 5 % target is about. */
    private static final List<String> CLIENT_FIGURES = List.of("stage", "results_read", "client");
    /** Jobs a round stages per side: the stages alternate side by side job by job, or invocation by invocation. */
    private static final int JOBS = 10;

    /** One side of the comparison: its signer (none: unsigned), the jobs it staged this round, its time per stage. */
    private static final class Side {
        final ObjectSigner signer;
        final String name;
        final InputsCodec.Encoded[] jobs = new InputsCodec.Encoded[JOBS];
        final long[] nanos = new long[4];
        long checksum;

        Side(ObjectSigner signer, String name) {
            this.signer = signer;
            this.name = name;
        }

        String jobId(int round, int job) {
            return "bench-signing-" + round + "-" + job + name;
        }

        /** {@return figure {@code i}'s nanoseconds: a stage, or the client's, the workers' or the total sum} */
        long figure(int i) {
            return switch (i) {
                case 4 -> nanos[0] + nanos[3];
                case 5 -> nanos[1] + nanos[2];
                case 6 -> nanos[0] + nanos[1] + nanos[2] + nanos[3];
                default -> nanos[i];
            };
        }
    }

    /** One stage's work on one item (a job, or an invocation of one) for one side. */
    private interface Step {
        void run(Side side, int item) throws IOException;
    }

    /**
     * Runs {@code step} on every item for both sides, the two back to back, the order alternating item by item, and
     * adds each side's time to its {@code stage}. So a GC pause or a slow spell of the machine falls on either side
     * alike: timed as whole passes one after the other, the same work varied 2x pass to pass here.
     */
    private static void interleaved(Side[] sides, int stage, int items, int round, Step step) throws IOException {
        for (int item = 0; item < items; item++) {
            for (int k = 0; k < 2; k++) {
                Side side = sides[(item + round + k) % 2];
                long start = System.nanoTime();
                step.run(side, item);
                side.nanos[stage] += System.nanoTime() - start;
            }
        }
    }

    void run(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        double[] added;
        try (Storage storage = Providers.storage(storageUri, Config.resolve(Map.of()))) {
            added = codecs(metrics, log, storage, "signing", false, calls, warmupRounds, rounds);
        }
        endToEnd(metrics, storageUri, log, added);
        onS3(metrics, log);
    }

    /**
     * The client's stages again on S3 (S3Proxy on loopback, its in-memory store): the storage of a cloud run, where
     * each request's round trip weighs in; fewer calls, since every invocation is two requests per side.
     */
    private void onS3(MetricPrinter metrics, PrintWriter log) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(null)) {
            s3.createBucket("jwren-signing");
            S3ProxyServer.useAsDefaultCredentials();
            try (Storage storage = Providers.storage("s3://jwren-signing/bench", Config.resolve(
                    Map.of("jwren.s3.endpoint", s3.endpoint().toString())))) {
                codecs(metrics, log, storage, "signing_s3", true, calls / 10, 1, Math.max(3, rounds / 2));
            }
        }
    }

    /**
     * The whole path: maps of trivial calls at chunk 1000 on the processes backend, one executor signing, one not
     * ({@link UnsignedProcessesProvider}), alternating map by map. Besides calls/s, the CPU time the client and the
     * executor's worker JVMs spent per call, each: on a shared machine it varies far less than the wall time does.
     */
    private void endToEnd(MetricPrinter metrics, String storageUri, PrintWriter log, double[] added) throws Exception {
        int mapCalls = calls / 5;
        SerializableFunction<Integer, Integer> fn = TrivialCalls.identity();
        try (Executor signedEx = Executor.builder().backend("processes").storage(storageUri)
                .property("jwren.retention", "0s").build();
             Executor unsignedEx = UnsignedProcessesProvider.building(() -> Executor.builder()
                     .backend(UnsignedProcessesProvider.NAME).storage(storageUri).property("jwren.retention", "0s").build())) {
            String[] measures = {"time", "client CPU", "worker CPU", "CPU"};
            Samples[][] perCall = new Samples[measures.length][];
            AlternatingRatios[] ratio = new AlternatingRatios[measures.length];
            for (int m = 0; m < measures.length; m++) {
                perCall[m] = new Samples[] {new Samples(runs), new Samples(runs)};
                ratio[m] = new AlternatingRatios(runs);
            }
            for (int r = 0; r < warmups + runs; r++) {
                double[][] ns = new double[measures.length][2]; // per call: wall, client CPU, workers' CPU, both CPUs
                for (int side = 0; side < 2; side++) {
                    int signed = (r + side) % 2;
                    Executor ex = signed == 1 ? signedEx : unsignedEx;
                    // without it, one map's young collections copy what the other map left: 2x swings in client CPU
                    System.gc();
                    long[] before = cpuNanos(ex);
                    double ms = ProcessesThroughputBench.timeMap(ex, fn, mapCalls, CHUNK);
                    long[] after = cpuNanos(ex);
                    ns[0][signed] = ms * 1e6 / mapCalls;
                    ns[1][signed] = (double) (after[0] - before[0]) / mapCalls;
                    ns[2][signed] = (double) (after[1] - before[1]) / mapCalls;
                    ns[3][signed] = ns[1][signed] + ns[2][signed];
                }
                if (r < warmups) continue;
                for (int m = 0; m < measures.length; m++) {
                    for (int signed = 0; signed < 2; signed++) perCall[m][signed].add(ns[m][signed]);
                    ratio[m].add(ns[m][0], ns[m][1]);
                }
            }
            for (int m = 0; m < measures.length; m++) {
                log.printf("# signing end to end, %d calls per map at chunk %d, %s ns per call: unsigned %s, signed %s; "
                        + "signed/unsigned by pair of rounds %s%n", mapCalls, CHUNK, measures[m], perCall[m][0],
                        perCall[m][1], ratio[m]);
            }
            metrics.print("signing_processes_chunk1000_unsigned_calls_per_s", 1e9 / perCall[0][0].median(), "calls/s");
            metrics.print("signing_processes_chunk1000_signed_calls_per_s", 1e9 / perCall[0][1].median(), "calls/s");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_time_ratio", ratio[0].median(), "x");
            metrics.print("signing_processes_chunk1000_unsigned_cpu_ns_per_call", perCall[3][0].median(), "ns");
            metrics.print("signing_processes_chunk1000_signed_cpu_ns_per_call", perCall[3][1].median(), "ns");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_client_cpu_ratio", ratio[1].median(), "x");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_worker_cpu_ratio", ratio[2].median(), "x");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_cpu_ratio", ratio[3].median(), "x");
            // What signing adds to a map, from two figures each far steadier than the ratio of two maps: the time the
            // signed protocol stages added per call above (the only work that differs), over the CPU an unsigned
            // map's client or workers spend per call.
            metrics.print("signing_processes_chunk1000_unsigned_client_cpu_ns_per_call", perCall[1][0].median(), "ns");
            metrics.print("signing_processes_chunk1000_unsigned_worker_cpu_ns_per_call", perCall[2][0].median(), "ns");
            metrics.print("signing_client_added_vs_map_client_cpu_ratio", 1 + added[0] / perCall[1][0].median(), "x");
            metrics.print("signing_worker_added_vs_map_worker_cpu_ratio", 1 + added[1] / perCall[2][0].median(), "x");
        }
        log.flush();
    }

    /** CPU time so far of this JVM, and of {@code ex}'s worker JVMs, which are found by their worker ids. */
    private static long[] cpuNanos(Executor ex) {
        long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long workers = 0;
        String marker = "--worker-id\0" + ex.id() + "-p";
        for (ProcessHandle p : ProcessHandle.current().children().toList()) {
            // /proc, since ProcessHandle.Info cuts a command line at 4 KiB, before the worker's arguments
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
                if (cmdline.contains(marker)) workers += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            } catch (IOException gone) {
                // exited, or not Linux: not counted
            }
        }
        return new long[] {client, workers};
    }

    /**
     * The protocol stages on {@code storage}: every figure, or only the client's ({@code clientOnly}), printed as
     * {@code <prefix>_<figure>_...}.
     *
     * @return the nanoseconds per call that signing added to the client's stages and to the workers', medians
     */
    private double[] codecs(MetricPrinter metrics, PrintWriter log, Storage storage, String prefix, boolean clientOnly,
                            int calls, int warmupRounds, int rounds) throws IOException {
        List<Integer> inputs = IntStream.range(0, calls).boxed().toList();
        ObjectSigner signer = ObjectSigner.random();
        Samples[] unsigned = new Samples[FIGURES.length];
        Samples[] signed = new Samples[FIGURES.length];
        Samples[] ratio = new Samples[FIGURES.length];
        for (int i = 0; i < FIGURES.length; i++) {
            unsigned[i] = new Samples(rounds);
            signed[i] = new Samples(rounds);
            ratio[i] = new Samples(rounds);
        }
        Samples[] added = {new Samples(rounds), new Samples(rounds)}; // client, workers: ns per call
        log.printf("# %s: %d trivial calls at chunk %d in %d jobs per side, %d warm-up rounds then %d timed; in a "
                + "round each stage runs job by job or invocation by invocation with the key and without, alternating%n",
                prefix, calls, CHUNK, JOBS, warmupRounds, rounds);
        log.flush();
        for (int r = 0; r < warmupRounds + rounds; r++) {
            Side[] sides = {new Side(null, "u"), new Side(signer, "s")};
            round(storage, inputs, r, sides);
            if (r < warmupRounds) continue;
            for (int i = 0; i < FIGURES.length; i++) {
                unsigned[i].add(sides[0].figure(i) / 1e6);
                signed[i].add(sides[1].figure(i) / 1e6);
                ratio[i].add((double) sides[1].figure(i) / sides[0].figure(i));
            }
            for (int share = 0; share < 2; share++)
                added[share].add((double) (sides[1].figure(4 + share) - sides[0].figure(4 + share)) / calls);
        }
        for (int i = 0; i < FIGURES.length; i++) {
            if (clientOnly && !CLIENT_FIGURES.contains(FIGURES[i])) continue;
            log.printf("# %s %s ms: unsigned %s, signed %s; signed/unsigned by round %s%n", prefix, FIGURES[i], unsigned[i],
                    signed[i], ratio[i]);
            metrics.print(prefix + "_" + FIGURES[i] + "_unsigned_ns_per_call", unsigned[i].median() * 1e6 / calls, "ns");
            metrics.print(prefix + "_" + FIGURES[i] + "_signed_ns_per_call", signed[i].median() * 1e6 / calls, "ns");
            // the median of ratios within a round, whose two sides ran interleaved: a ratio of the two medians would
            // mix rounds of different moments
            metrics.print(prefix + "_" + FIGURES[i] + "_signed_vs_unsigned_ratio", ratio[i].median(), "x");
        }
        log.flush();
        return new double[] {added[0].median(), added[1].median()};
    }

    /** Stages each side's jobs, reads them back by invocation, writes and reads their results; removes them again. */
    private void round(Storage storage, List<Integer> inputs, int r, Side[] sides) throws IOException {
        int jobCalls = inputs.size() / JOBS;
        int perJob = jobCalls / CHUNK;
        var kryo = KryoFactory.newKryo(getClass().getClassLoader()); // var: the engine's Kryo is relocated in its jar
        interleaved(sides, 0, JOBS, r, (side, job) -> side.jobs[job] = stage(storage, side.jobId(r, job),
                inputs.subList(job * jobCalls, (job + 1) * jobCalls), side.signer));
        interleaved(sides, 1, JOBS * perJob, r, (side, item) -> {
            InputsCodec.Encoded encoded = side.jobs[item / perJob];
            String key = JobKeys.inputs(side.jobId(r, item / perJob));
            int first = item % perJob * CHUNK;
            long offset = encoded.offset(first);
            long length = encoded.length(first, CHUNK);
            byte[] range = side.signer == null ? storage.getRange(key, offset, length)
                    : BlockTags.readRange(storage, key, offset, length, encoded.offset(encoded.count()), side.signer);
            for (Object o : InputsCodec.decode(kryo, range, CHUNK)) side.checksum += (Integer) o;
        });
        interleaved(sides, 2, JOBS * perJob, r, (side, item) -> {
            // the values' Kryo records, as a worker encodes them one by one
            int first = item * CHUNK;
            InputsCodec.Encoded values = InputsCodec.encode(kryo, inputs.subList(first, first + CHUNK));
            List<CallOutcome> outcomes = new ArrayList<>(CHUNK);
            for (int j = 0; j < CHUNK; j++) {
                // with what a worker measures of a trivial call: 1-3 us of CPU, a boxed value allocated
                outcomes.add(CallOutcome.inline(item % perJob * CHUNK + j, Arrays.copyOfRange(values.data(),
                        (int) values.offset(j), (int) values.offset(j + 1)), 0, 0)
                        .withMetrics(new CallMetrics(1_000 + j * 37 % 2_000, 16, false, List.of())));
            }
            String resultKey = JobKeys.result(side.jobId(r, item / perJob), item % perJob);
            storage.put(resultKey, ResultCodec.encode(new InvocationResult(item % perJob, 0, "bench", "", outcomes),
                    Manifest.PROTOCOL, resultKey, side.signer));
        });
        interleaved(sides, 3, JOBS * perJob, r, (side, item) -> {
            String resultKey = JobKeys.result(side.jobId(r, item / perJob), item % perJob);
            for (CallOutcome o : ResultCodec.decode(resultKey, storage.get(resultKey), side.signer).calls())
                side.checksum -= (Integer) ResultValueReader.read(kryo, storage, o, side.signer);
        });
        for (Side side : sides) {
            if (side.checksum != 0) throw new IllegalStateException("inputs and results of round " + r + " differ");
            for (int job = 0; job < JOBS; job++) storage.deletePrefix(JobKeys.job(side.jobId(r, job)));
        }
    }

    /** What the engine's stager writes for a job's inputs: the records streamed, their index, the manifest. */
    private InputsCodec.Encoded stage(Storage storage, String jobId, List<Integer> inputs, ObjectSigner signer)
            throws IOException {
        var kryo = KryoFactory.newShippingKryo(getClass().getClassLoader());
        String key = JobKeys.inputs(jobId);
        InputsCodec.Encoded encoded;
        try (OutputStream out = storage.create(key)) {
            encoded = InputsCodec.encodeTo(kryo, inputs, out, signer, key);
        }
        String indexKey = JobKeys.inputsIndex(jobId);
        storage.put(indexKey, BlockTags.stored(signer, indexKey, encoded.index(CHUNK)));
        Manifest manifest = new Manifest(Manifest.PROTOCOL, jobId, inputs.size(), CHUNK, List.of(), 0, 60_000,
                Instant.now(), "bench");
        if (signer != null) {
            byte[] function = new byte[200]; // the size of a small closure: its tag is one HMAC
            manifest = manifest.withIntegrity(new Manifest.Integrity(
                    HexFormat.of().formatHex(signer.tag(JobKeys.function(jobId), function)), List.of(),
                    encoded.offset(encoded.count())));
        }
        storage.put(JobKeys.manifest(jobId), manifest.toBytes(signer));
        return encoded;
    }
}

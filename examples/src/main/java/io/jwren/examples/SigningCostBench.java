package io.jwren.examples;

import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.SerializableFunction;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.protocol.BlockTags;
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
 * timed with and without the executor's key on the same storage, alternating: the client staging the inputs (records
 * streamed into the inputs object, block-tagged when signed; the index; the manifest), the workers reading and
 * decoding their ranges (checking each block first), and the results (a worker encoding and sealing one result object
 * of 1000 inline values per invocation, the client checking and decoding it). The same protocol classes the engine
 * uses; storage is a local directory, whose latency would only dilute the difference. Then the same end to end: maps
 * on the processes backend with and without signing.
 */
final class SigningCostBench {
    static final int CHUNK = 1000;

    private final int calls;
    private final int warmups;
    private final int runs;

    SigningCostBench(boolean quick) {
        this.calls = quick ? 100_000 : 1_000_000;
        this.warmups = quick ? 2 : 5;
        this.runs = quick ? 3 : 15;
    }

    /** One timed pass's milliseconds per stage: staging, worker inputs, results. */
    private record Pass(double[] ms) {
        /** {@return stage {@code i}'s milliseconds: staging, worker inputs, results, then their total} */
        double stage(int i) {
            return i < 3 ? ms[i] : ms[0] + ms[1] + ms[2];
        }
    }

    /** Marks the end of one stage of a pass and the start of the next. */
    private static final class Stopwatch {
        final double[] ms = new double[3];
        private long start = System.nanoTime();

        void lap(int stage) {
            long now = System.nanoTime();
            ms[stage] = (now - start) / 1e6;
            start = now;
        }
    }

    void run(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        codecs(metrics, storageUri, log);
        endToEnd(metrics, storageUri, log);
    }

    /**
     * The whole path: maps of trivial calls at chunk 1000 on the processes backend, one executor signing, one not
     * ({@link UnsignedProcessesProvider}), alternating map by map. Besides calls/s, the CPU time the client and the
     * executor's worker JVMs spent per call: on a shared machine it varies far less than the wall time does.
     */
    private void endToEnd(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        int mapCalls = calls / 2;
        SerializableFunction<Integer, Integer> fn = TrivialCalls.identity();
        try (Executor signedEx = Executor.builder().backend("processes").storage(storageUri)
                .property("jwren.retention", "0s").build();
             Executor unsignedEx = UnsignedProcessesProvider.building(() -> Executor.builder()
                     .backend(UnsignedProcessesProvider.NAME).storage(storageUri).property("jwren.retention", "0s").build())) {
            Samples[] rate = {new Samples(runs), new Samples(runs)};
            Samples[] cpu = {new Samples(runs), new Samples(runs)};
            Samples timeRatio = new Samples(runs);
            Samples cpuRatio = new Samples(runs);
            for (int r = 0; r < warmups + runs; r++) {
                double[] ms = new double[2];
                double[] cpuPerCall = new double[2];
                for (int side = 0; side < 2; side++) {
                    int signed = (r + side) % 2;
                    Executor ex = signed == 1 ? signedEx : unsignedEx;
                    long cpuBefore = cpuNanos(ex);
                    ms[signed] = ProcessesThroughputBench.timeMap(ex, fn, mapCalls, CHUNK);
                    cpuPerCall[signed] = (double) (cpuNanos(ex) - cpuBefore) / mapCalls;
                }
                if (r < warmups) continue;
                for (int signed = 0; signed < 2; signed++) {
                    rate[signed].add(mapCalls / (ms[signed] / 1000));
                    cpu[signed].add(cpuPerCall[signed]);
                }
                timeRatio.add(ms[1] / ms[0]);
                cpuRatio.add(cpuPerCall[1] / cpuPerCall[0]);
            }
            log.printf("# signing end to end, %d calls per map at chunk %d: calls/s unsigned %s, signed %s; "
                    + "CPU ns per call unsigned %s, signed %s; signed/unsigned by round: time %s, CPU %s%n", mapCalls, CHUNK,
                    rate[0], rate[1], cpu[0], cpu[1], timeRatio, cpuRatio);
            metrics.print("signing_processes_chunk1000_unsigned_calls_per_s", rate[0].median(), "calls/s");
            metrics.print("signing_processes_chunk1000_signed_calls_per_s", rate[1].median(), "calls/s");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_time_ratio", timeRatio.median(), "x");
            metrics.print("signing_processes_chunk1000_unsigned_cpu_ns_per_call", cpu[0].median(), "ns");
            metrics.print("signing_processes_chunk1000_signed_cpu_ns_per_call", cpu[1].median(), "ns");
            metrics.print("signing_processes_chunk1000_signed_vs_unsigned_cpu_ratio", cpuRatio.median(), "x");
        }
        log.flush();
    }

    /** CPU time so far of this JVM and of {@code ex}'s worker JVMs, which are found by their worker ids. */
    private static long cpuNanos(Executor ex) {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        String marker = "--worker-id\0" + ex.id() + "-p";
        for (ProcessHandle p : ProcessHandle.current().children().toList()) {
            // /proc, since ProcessHandle.Info cuts a command line at 4 KiB, before the worker's arguments
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
                if (cmdline.contains(marker)) total += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            } catch (IOException gone) {
                // exited, or not Linux: not counted
            }
        }
        return total;
    }

    private void codecs(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        List<Integer> inputs = IntStream.range(0, calls).boxed().toList();
        ObjectSigner signer = ObjectSigner.random();
        String[] names = {"stage", "worker_inputs", "results", "total"};
        Samples[] unsigned = new Samples[names.length];
        Samples[] signed = new Samples[names.length];
        Samples[] pairRatio = new Samples[names.length];
        for (int i = 0; i < names.length; i++) {
            unsigned[i] = new Samples(runs);
            signed[i] = new Samples(runs);
            pairRatio[i] = new Samples(runs);
        }
        log.printf("# signing: %d trivial calls at chunk %d, %d warm-ups then %d timed rounds, each a pass with the key and "
                + "one without, back to back in alternating order%n", calls, CHUNK, warmups, runs);
        log.flush();
        try (Storage storage = Providers.storage(storageUri, Config.resolve(Map.of()))) {
            for (int r = 0; r < warmups + runs; r++) {
                Pass[] pass = new Pass[2]; // [unsigned, signed]
                // the order alternates too, so neither side always runs on the warmer heap
                for (int side = 0; side < 2; side++) {
                    boolean withKey = (r + side) % 2 == 0;
                    pass[withKey ? 1 : 0] = pass(storage, "bench-signing-" + r + (withKey ? "s" : "u"), inputs,
                            withKey ? signer : null);
                }
                if (r < warmups) continue;
                for (int i = 0; i < names.length; i++) {
                    double plain = pass[0].stage(i);
                    double keyed = pass[1].stage(i);
                    unsigned[i].add(plain);
                    signed[i].add(keyed);
                    pairRatio[i].add(keyed / plain);
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            log.printf("# signing %s ms: unsigned %s, signed %s; signed/unsigned by round %s%n", names[i], unsigned[i],
                    signed[i], pairRatio[i]);
            metrics.print("signing_" + names[i] + "_unsigned_ns_per_call", unsigned[i].median() * 1e6 / calls, "ns");
            metrics.print("signing_" + names[i] + "_signed_ns_per_call", signed[i].median() * 1e6 / calls, "ns");
            // the median of each round's ratio: the two passes of a round ran side by side, so a slow spell of the
            // machine weighs on both, where a ratio of the two medians would mix passes of different moments
            metrics.print("signing_" + names[i] + "_signed_vs_unsigned_ratio", pairRatio[i].median(), "x");
        }
        log.flush();
    }

    /** Stages a job's inputs, reads them back by invocation, writes and reads its results; removes it again. */
    private Pass pass(Storage storage, String jobId, List<Integer> inputs, ObjectSigner signer) throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        Stopwatch watch = new Stopwatch();
        InputsCodec.Encoded encoded = stage(storage, jobId, inputs, signer);
        watch.lap(0);

        var kryo = KryoFactory.newKryo(loader); // var: the engine's Kryo is relocated in its jar
        long checksum = 0;
        String key = JobKeys.inputs(jobId);
        long content = encoded.offset(encoded.count());
        for (int first = 0; first < inputs.size(); first += CHUNK) {
            int count = Math.min(CHUNK, inputs.size() - first);
            long offset = encoded.offset(first);
            long length = encoded.length(first, count);
            byte[] range = signer == null ? storage.getRange(key, offset, length)
                    : BlockTags.readRange(storage, key, offset, length, content, signer);
            for (Object o : InputsCodec.decode(kryo, range, count)) checksum += (Integer) o;
        }
        watch.lap(1);

        for (int first = 0, n = 0; first < inputs.size(); first += CHUNK, n++) {
            // the values' Kryo records, as a worker encodes them one by one
            InputsCodec.Encoded values = InputsCodec.encode(kryo, inputs.subList(first, Math.min(first + CHUNK, inputs.size())));
            List<CallOutcome> outcomes = new ArrayList<>(values.count());
            for (int j = 0; j < values.count(); j++) {
                outcomes.add(CallOutcome.inline(first + j, Arrays.copyOfRange(values.data(), (int) values.offset(j),
                        (int) values.offset(j + 1)), 0, 0));
            }
            String resultKey = JobKeys.result(jobId, n);
            storage.put(resultKey, ResultCodec.encode(new InvocationResult(n, 0, "bench", "", outcomes), Manifest.PROTOCOL,
                    resultKey, signer));
            for (CallOutcome o : ResultCodec.decode(resultKey, storage.get(resultKey), signer).calls())
                checksum -= (Integer) ResultValueReader.read(kryo, storage, o, signer);
        }
        watch.lap(2);
        if (checksum != 0) throw new IllegalStateException("inputs and results of " + jobId + " differ");
        storage.deletePrefix(JobKeys.job(jobId));
        return new Pass(watch.ms);
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

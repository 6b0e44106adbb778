package io.jwren.examples;

import io.jwren.Executor;
import io.jwren.MapOptions;
import io.jwren.testing.TestCache;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code bench --peers}: the same five workloads on jwren (processes backend, 2 worker JVMs) and on Dask
 * distributed, Ray and Lithops' localhost backend (each with 2 worker processes, in its own pinned venv),
 * alternating within one run so all see the same machine: for each workload and round, jwren first, then each
 * peer. Start-up (worker JVMs, cluster start, {@code ray.init}) is reported once and kept out of the figures.
 * Ratios are above 1 when jwren is ahead: jwren/peer for rates, peer/jwren for times.
 */
final class PeerBench {
    static final List<String> ALL_PEERS = List.of("dask", "ray", "lithops");
    private static final int WORKERS = 2;
    private static final long SEED = 42;

    /** How big each workload is; a peer's call-count figures shrink to fit {@code budgetSeconds}. */
    record Sizes(int noopDefaults, int noopChunk1, int roundTrips, long trials, int matvecCalls, int matvecSize,
                 double budgetSeconds, int rounds) {
        static final Sizes FULL = new Sizes(100_000, 10_000, 500, 100_000_000L, 100, 1024, 30, 2);
        static final Sizes QUICK = new Sizes(2_000, 200, 30, 1_000_000L, 8, 128, 10, 1);
    }

    /** One workload's figures: its name, its unit, whether higher is better. */
    private record Figure(String name, String unit, boolean rate) {}

    private static final Figure NOOP_DEFAULTS = new Figure("noop_defaults", "calls/s", true);
    private static final Figure NOOP_CHUNK1 = new Figure("noop_chunk1", "calls/s", true);
    private static final Figure RTT_P50 = new Figure("round_trip_p50", "ms", false);
    private static final Figure RTT_P99 = new Figure("round_trip_p99", "ms", false);
    private static final Figure MONTECARLO = new Figure("montecarlo", "s", false);
    private static final Figure MATVEC = new Figure("matvec", "s", false);

    private final Sizes sizes;
    private final List<String> peerNames;

    PeerBench(boolean quick, List<String> peerNames) {
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.peerNames = peerNames;
    }

    void run(MetricPrinter metrics, String storageUri, PrintWriter log) throws Exception {
        Path workDir = Files.createTempDirectory("jwren-peers-");
        List<PeerProcess> peers = new ArrayList<>();
        try (Executor jwren = Executor.builder().backend("processes").storage(storageUri)
                .property("jwren.workers", Integer.toString(WORKERS)).build()) {
            long start = System.nanoTime();
            timeMap(jwren, 4 * WORKERS, MapOptions.defaults());
            metrics.print("jwren_startup_s", Samples.millisSince(start) / 1000, "s");
            for (String name : peerNames) {
                PeerProcess peer = startPeer(name, workDir, metrics, log);
                if (peer != null) peers.add(peer);
            }
            log.printf("# %d rounds; sizes %s; peers run numpy (OpenBLAS, 1 thread per worker) where jwren runs the "
                    + "examples' Java kernels%n", sizes.rounds(), sizes);
            log.flush();
            new Rounds(jwren, peers, metrics, log).all();
        } finally {
            for (PeerProcess p : peers) p.close();
            TestCache.deleteTree(workDir);
        }
    }

    private static PeerProcess startPeer(String name, Path workDir, MetricPrinter metrics, PrintWriter log) {
        try {
            PeerProcess peer = PeerProcess.start(name, WORKERS, workDir);
            JsonNode r = peer.ready();
            log.printf("# %s %s (Python %s, numpy %s) started with %d worker processes in %.1f s%n", name,
                    r.path("version").asString(), r.path("python").asString(), r.path("numpy").asString(), WORKERS,
                    r.path("startup_s").asDouble());
            log.flush();
            metrics.print("peer_" + name + "_startup_s", r.path("startup_s").asDouble(), "s");
            return peer;
        } catch (RuntimeException | IOException e) {
            log.printf("# %s: unavailable: %s%n", name, e.getMessage().replace("\n", "\n# "));
            log.flush();
            metrics.print("peer_" + name + "_unavailable", 1, "flag");
            return null;
        }
    }

    /** The workloads in order, each over all rounds, alternating jwren and the peers within a round. */
    private final class Rounds {
        private final Executor jwren;
        private final List<PeerProcess> peers;
        private final MetricPrinter metrics;
        private final PrintWriter log;

        Rounds(Executor jwren, List<PeerProcess> peers, MetricPrinter metrics, PrintWriter log) {
            this.jwren = jwren;
            this.peers = new ArrayList<>(peers);
            this.metrics = metrics;
            this.log = log;
        }

        void all() throws Exception {
            noop(NOOP_DEFAULTS, sizes.noopDefaults(), MapOptions.defaults());
            noop(NOOP_CHUNK1, sizes.noopChunk1(), MapOptions.builder().chunkSize(1).build());
            montecarlo();
            matvec();
            // Last: Lithops' localhost backend has been seen to leave a call_async unfinished after a few maps.
            roundTrips();
        }

        private void noop(Figure figure, int calls, MapOptions options) throws Exception {
            Map<String, Samples> rates = samples();
            Map<String, Integer> counts = new LinkedHashMap<>();
            timeMap(jwren, Math.min(calls, 1_000), options); // warm this map shape
            for (int round = 0; round < sizes.rounds(); round++) {
                rates.get("jwren").add(calls / (timeMap(jwren, calls, options) / 1000));
                for (PeerProcess p : List.copyOf(peers)) {
                    JsonNode r = ask(p, figure, Map.of("calls", calls, "budget_s", sizes.budgetSeconds()));
                    if (r == null) continue;
                    counts.put(p.name(), r.get("calls").asInt());
                    rates.get(p.name()).add(r.get("calls").asInt() / r.get("seconds").asDouble());
                    if (round == 0) log.printf("# %s %s: %s%n", p.name(), figure.name(), r.get("form").asString());
                }
            }
            log.printf("# jwren %s: %d calls per run (%s)%n", figure.name(), calls,
                    options.chunkSize() == null ? "executor.map defaults" : "chunkSize(" + options.chunkSize() + ")");
            for (Map.Entry<String, Integer> c : counts.entrySet())
                metrics.print("peer_" + c.getKey() + "_" + figure.name() + "_calls", c.getValue(), "calls");
            report(figure, rates);
        }

        private void roundTrips() throws Exception {
            Map<String, Samples> p50 = samples();
            Map<String, Samples> p99 = samples();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int round = 0; round < sizes.rounds(); round++) {
                double[] ms = ProcessesThroughputBench.submitRoundTrips(jwren, sizes.roundTrips());
                p50.get("jwren").add(percentile(ms, 0.50));
                p99.get("jwren").add(percentile(ms, 0.99));
                for (PeerProcess p : List.copyOf(peers)) {
                    JsonNode r = ask(p, "round_trip", Map.of("count", sizes.roundTrips(), "budget_s", sizes.budgetSeconds()));
                    if (r == null) continue;
                    counts.put(p.name(), r.get("count").asInt());
                    p50.get(p.name()).add(r.get("p50_ms").asDouble());
                    p99.get(p.name()).add(r.get("p99_ms").asDouble());
                }
            }
            log.printf("# round trips: submit one no-op task and wait for its result, %d times in a row "
                    + "(jwren executor.submit; Dask client.submit(...).result(); Ray ray.get(f.remote(x)); "
                    + "Lithops get_result(call_async(...)))%n", sizes.roundTrips());
            for (Map.Entry<String, Integer> c : counts.entrySet())
                metrics.print("peer_" + c.getKey() + "_round_trips", c.getValue(), "calls");
            report(RTT_P50, p50);
            report(RTT_P99, p99);
        }

        private void montecarlo() throws Exception {
            Map<String, Samples> seconds = samples();
            for (int round = 0; round < sizes.rounds(); round++) {
                long start = System.nanoTime();
                long inside = 0;
                for (long c : jwren.map(PiSampler.sliceCounter(SEED, sizes.trials(), WORKERS),
                        IntStream.range(0, WORKERS).boxed().toList()).get()) inside += c;
                seconds.get("jwren").add(Samples.millisSince(start) / 1000);
                requireNearPi(4.0 * inside / sizes.trials(), "jwren");
                for (PeerProcess p : List.copyOf(peers)) {
                    JsonNode r = ask(p, MONTECARLO, Map.of("trials", sizes.trials(), "slices", WORKERS, "seed", SEED));
                    if (r == null) continue;
                    requireNearPi(r.get("pi").asDouble(), p.name());
                    seconds.get(p.name()).add(r.get("seconds").asDouble());
                }
            }
            log.printf("# montecarlo: %d trials in %d calls; jwren PiSampler (SplittableRandom, a scalar loop), "
                    + "peers numpy (Generator.random in blocks of 2^20)%n", sizes.trials(), WORKERS);
            report(MONTECARLO, seconds);
        }

        private void matvec() throws Exception {
            Map<String, Samples> seconds = samples();
            List<Double> scales = MatvecKernel.scales(sizes.matvecCalls());
            for (int round = 0; round < sizes.rounds(); round++) {
                long start = System.nanoTime();
                List<MatvecKernel.Product> products = jwren.map(MatvecKernel.multiply(sizes.matvecSize(), SEED), scales).get();
                seconds.get("jwren").add(Samples.millisSince(start) / 1000);
                if (products.size() != scales.size()) throw new IllegalStateException("jwren matvec: missing results");
                for (PeerProcess p : List.copyOf(peers)) {
                    JsonNode r = ask(p, MATVEC, Map.of("calls", sizes.matvecCalls(), "size", sizes.matvecSize(), "seed", SEED));
                    if (r != null) seconds.get(p.name()).add(r.get("seconds").asDouble());
                }
            }
            log.printf("# matvec: %d calls of %dx%d, each generating its normal matrix and multiplying it by a vector; "
                    + "jwren MatvecKernel (plain Java loops), peers numpy (a @ x, OpenBLAS)%n",
                    sizes.matvecCalls(), sizes.matvecSize(), sizes.matvecSize());
            report(MATVEC, seconds);
        }

        private JsonNode ask(PeerProcess p, Figure figure, Map<String, Object> args) {
            return ask(p, figure.name(), args);
        }

        /** One figure from a peer; a peer that fails is reported, closed and left out from then on. */
        private JsonNode ask(PeerProcess p, String workload, Map<String, Object> args) {
            Map<String, Object> command = new LinkedHashMap<>(args);
            command.put("workload", workload);
            try {
                return p.ask(command);
            } catch (RuntimeException e) {
                log.printf("# %s: %s failed, leaving it out from here on: %s%n", p.name(), workload,
                        e.getMessage().replace("\n", "\n# "));
                log.flush();
                peers.remove(p);
                p.close();
                return null;
            }
        }

        private Map<String, Samples> samples() {
            Map<String, Samples> m = new LinkedHashMap<>();
            m.put("jwren", new Samples(sizes.rounds()));
            for (PeerProcess p : peers) m.put(p.name(), new Samples(sizes.rounds()));
            return m;
        }

        /** Medians over the rounds: jwren's figure, each peer's, and the ratio (above 1 = jwren ahead). */
        private void report(Figure figure, Map<String, Samples> samples) {
            String unit = figure.unit().equals("calls/s") ? "_calls_per_s" : "_" + figure.unit();
            double own = samples.get("jwren").median();
            log.printf("# %s per round: %s%n", figure.name(), samples);
            log.flush();
            metrics.print("jwren_" + figure.name() + unit, own, figure.unit());
            for (Map.Entry<String, Samples> e : samples.entrySet()) {
                if (e.getKey().equals("jwren") || e.getValue().isEmpty()) continue;
                double peer = e.getValue().median();
                metrics.print("peer_" + e.getKey() + "_" + figure.name() + unit, peer, figure.unit());
                metrics.print("vs_" + e.getKey() + "_" + figure.name() + "_ratio", figure.rate() ? own / peer : peer / own, "x");
            }
        }
    }

    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void requireNearPi(double pi, String who) {
        if (Math.abs(pi - Math.PI) > 0.05) throw new IllegalStateException(who + " montecarlo estimated pi as " + pi);
    }

    private static double timeMap(Executor executor, int calls, MapOptions options) throws Exception {
        return ProcessesThroughputBench.timeMap(executor, TrivialCalls.identity(), calls, options);
    }
}

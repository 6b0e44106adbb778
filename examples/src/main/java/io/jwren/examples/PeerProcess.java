package io.jwren.examples;

import io.jwren.testing.PythonVenv;
import io.jwren.testing.ServerProcesses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One peer library (Dask, Ray, Lithops) running {@code peer_bench.py} in its own pinned venv, with its own
 * worker processes: one JSON command per line in, one JSON answer per line out. The venv is installed once
 * into the test cache from {@code io/jwren/testing/python/peer-<name>.txt}; the script's stderr, and everything
 * the library prints, goes to a log file.
 */
final class PeerProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Generous: a peer's figure is scaled down to the bench's budget, this only catches a hung peer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(10);

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer in;
    private final BufferedReader out;
    private final ExecutorService reader;
    private final JsonNode ready;

    private PeerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.in = process.outputWriter(StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "peer-" + name + "-reader");
            t.setDaemon(true);
            return t;
        });
        this.ready = next();
    }

    /**
     * Installs the peer's venv if needed, starts its cluster with {@code workers} worker processes and waits
     * until it is ready.
     *
     * @throws IllegalStateException when the venv cannot be installed or the peer does not start, with why
     */
    static PeerProcess start(String name, int workers, Path workDir) throws IOException {
        PythonVenv venv = PythonVenv.of("peer-" + name);
        Path script = workDir.resolve("peer_bench.py");
        if (!Files.exists(script)) {
            try (InputStream s = PeerProcess.class.getResourceAsStream("peer_bench.py")) {
                if (s == null) throw new IllegalStateException("peer_bench.py is missing from the examples jar");
                Files.copy(s, script);
            }
        }
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(venv.bin("python").toString(), script.toString(),
                "--peer", name, "--workers", Integer.toString(workers)))
                .directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(venv.environment());
        // One core per worker process, as a jwren worker JVM runs one call at a time: no BLAS thread pools.
        pb.environment().putAll(Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "MKL_NUM_THREADS", "1",
                "RAY_USAGE_STATS_ENABLED", "0"));
        PeerProcess peer = new PeerProcess(name, pb.start(), log);
        if (!peer.ready.path("ready").asBoolean(false)) {
            peer.close();
            throw new IllegalStateException(peer.ready.path("error").asString(peer.ready.toString()));
        }
        return peer;
    }

    /** The first answer: startup seconds, library, Python and numpy versions. */
    JsonNode ready() {
        return ready;
    }

    String name() {
        return name;
    }

    /** Sends one command and waits for its answer; an answer carrying "error" throws. */
    JsonNode ask(Map<String, Object> command) {
        try {
            in.write(JSON.writeValueAsString(command) + "\n");
            in.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone: " + e.getMessage() + "; its log:\n" + ServerProcesses.tail(log, 2000), e);
        }
        JsonNode answer = next();
        if (answer.has("error")) throw new IllegalStateException(name + ": " + answer.get("error").asString());
        return answer;
    }

    private JsonNode next() {
        Future<String> line = reader.submit(out::readLine);
        String text;
        try {
            text = line.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            ServerProcesses.destroyTree(process, Duration.ofSeconds(5));
            throw new IllegalStateException(name + " gave no answer within " + ANSWER_TIMEOUT.toMinutes() + " min", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
        if (text == null)
            throw new IllegalStateException(name + " exited; its log (" + log + "):\n" + ServerProcesses.tail(log, 2000));
        return JSON.readTree(text);
    }

    /** Asks the peer to shut its cluster down, then ends whatever is left of its process tree. */
    @Override
    public void close() {
        try {
            in.write("{\"workload\": \"quit\"}\n");
            in.close();
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ServerProcesses.destroyTree(process, Duration.ofSeconds(5));
            reader.shutdownNow();
        }
    }
}

package io.jwren.local;

import io.jwren.engine.closure.RuntimeClasspath;
import io.jwren.local.bigjob.BigInputsClient;
import io.jwren.testing.s3.CountingBlobStore.Operation;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue #3, point 4: a map whose inputs total 512 MiB reaches S3 as one explicit multipart upload from
 * a client whose heap could not hold them. S3Proxy (SigV4 on) keeps objects in a directory, so the
 * 512 MiB sit on disk, not in this JVM; the client is {@link BigInputsClient} in a JVM of its own with
 * {@value #DEFAULT_CLIENT_HEAP_MB} MiB of heap, its inputs made on demand, and two worker JVMs read them back.
 *
 * <p>Measured on 2 cores (JDK 17, G1, 8 MiB parts, 4 in flight): the client passes at -Xmx112m and runs
 * out of heap at -Xmx104m. At the floor the heap holds the part being filled, the parts in flight and
 * one more part still referenced by an idle pooled Netty connection (its last request), 6 x 8 MiB,
 * each a humongous G1 object of 9 regions. Memory follows part size and parts in flight, not the size
 * of the inputs; the test runs at about twice the floor. {@code -Djwren.test.client-heap-mb=N}
 * tries another heap. The whole test takes about 13 s on an idle machine: staging about 6 s (about
 * 95 MB/s including making the inputs), the workers' reads and calls about 3 s.
 */
class BigInputsOverS3Test {
    private static final int INPUTS = 512;
    private static final long SEED = 20_240_604L;
    private static final int CHUNK = 16;
    private static final int PART_SIZE = 8 << 20;
    private static final int PARTS_IN_FLIGHT = 4;
    private static final int DEFAULT_CLIENT_HEAP_MB = 224;
    private static final int CLIENT_HEAP_MB = Integer.getInteger("jwren.test.client-heap-mb", DEFAULT_CLIENT_HEAP_MB);

    @TempDir
    Path scratch;

    @Test
    void inputsOf512MiBUploadAsMultipartFromASmallHeapAndEveryCallSeesItsInput() throws Exception {
        long testStart = System.nanoTime();
        assertTrue((long) CLIENT_HEAP_MB << 20 < (long) INPUTS * BigInputsClient.INPUT_BYTES / 2,
                "a client heap of " + CLIENT_HEAP_MB + " MiB could hold much of the inputs: the test would prove little");
        Path store = Files.createDirectories(scratch.resolve("s3"));
        try (S3ProxyServer s3 = S3ProxyServer.start(store)) {
            s3.createBucket("jwren-big");
            String out = runClient(s3);
            Map<String, String> lines = keyed(out);

            long maxMemory = Long.parseLong(lines.get("MAX_MEMORY"));
            assertTrue(maxMemory <= CLIENT_HEAP_MB * (1L << 20) && maxMemory > CLIENT_HEAP_MB * (1L << 20) * 8 / 10,
                    "the client ran with " + maxMemory + " bytes of heap, not about -Xmx" + CLIENT_HEAP_MB + "m");

            // Server side: one multipart upload of the whole inputs object, never a PUT of it.
            String key = "run/jobs/" + lines.get("JOB") + "/inputs";
            long size = s3.objectSize("jwren-big", key);
            List<Operation> ops = s3.operations();
            List<Operation> ofInputs = ops.stream().filter(o -> o.key().equals(key)).toList();
            List<Operation> parts = ofInputs.stream().filter(o -> o.kind().equals("PART")).toList();
            long partBytes = parts.stream().mapToLong(Operation::bytes).sum();
            long largestPut = ops.stream().filter(o -> o.kind().equals("PUT")).mapToLong(Operation::bytes).max().orElse(0);
            long largestPart = parts.stream().mapToLong(Operation::bytes).max().orElse(0);
            System.out.printf("big inputs: object %d bytes in %d parts of at most %d bytes; largest PUT %d bytes%n",
                    size, parts.size(), largestPart, largestPut);
            assertTrue(size >= (long) INPUTS * BigInputsClient.INPUT_BYTES, "inputs object of " + size + " bytes");
            assertEquals(1, count(ofInputs, "MPU_CREATE"), "one multipart upload of " + key + ": " + ofInputs);
            assertEquals(1, count(ofInputs, "MPU_COMPLETE"), "one completed upload of " + key + ": " + ofInputs);
            assertEquals(0, count(ofInputs, "PUT"), "the inputs object was written by a PUT: " + ofInputs);
            assertEquals((size + PART_SIZE - 1) / PART_SIZE, parts.size(), "parts of " + key + ": " + ofInputs);
            assertEquals(size, partBytes, "bytes in the parts of " + key);
            assertTrue(largestPart <= PART_SIZE, "a part of " + largestPart + " bytes");
            assertTrue(largestPut < PART_SIZE, "a single PUT of " + largestPut + " bytes");

            // Every call computed over exactly its input, re-derived here from the seed.
            int checked = 0;
            for (int i = 0; i < INPUTS; i++) {
                long expected = BigInputsClient.checksum(BigInputsClient.input(SEED, i));
                assertEquals(String.valueOf(expected), lines.get("RESULT " + i), "result of input " + i);
                checked++;
            }
            assertEquals(INPUTS, checked);

            double staged = Long.parseLong(lines.get("STAGED_NANOS")) / 1e9;
            double making = Long.parseLong(lines.get("MAKING_NANOS")) / 1e9;
            double computed = Long.parseLong(lines.get("COMPUTED_NANOS")) / 1e9;
            double mb = size / 1e6;
            System.out.printf("big inputs: client -Xmx%dm (max %d MiB); staged %.0f MB in %.1f s (%.0f MB/s, %.0f MB/s"
                            + " without the %.1f s making inputs); map done after %.1f s; test %.1f s%n",
                    CLIENT_HEAP_MB, maxMemory >> 20, mb, staged, mb / staged, mb / (staged - making), making, computed,
                    (System.nanoTime() - testStart) / 1e9);
        }
    }

    /** Runs the client JVM to its end and returns its output; fails with the output's tail if it did not finish. */
    private String runClient(S3ProxyServer s3) throws Exception {
        String classpath = RuntimeClasspath.forWorkerJvm()
                + File.pathSeparator + codeSource(ProcessesBackend.class)
                + File.pathSeparator + codeSource(BigInputsClient.class);
        Path log = scratch.resolve("client.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + CLIENT_HEAP_MB + "m", "-XX:+ExitOnOutOfMemoryError", "-cp", classpath,
                BigInputsClient.class.getName(), "s3://jwren-big/run", s3.endpoint().toString(),
                String.valueOf(INPUTS), String.valueOf(SEED), String.valueOf(CHUNK), String.valueOf(PART_SIZE),
                String.valueOf(PARTS_IN_FLIGHT))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        Process p = pb.start();
        boolean exited = p.waitFor(5, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        String out = Files.readString(log);
        if (!exited || p.exitValue() != 0 || !out.contains("DONE " + INPUTS)) {
            String why = !exited ? "did not finish in 5 minutes"
                    : out.contains("OutOfMemoryError") ? "ran out of its " + CLIENT_HEAP_MB + " MiB heap"
                    : "exited with " + p.exitValue();
            fail("the client JVM (-Xmx" + CLIENT_HEAP_MB + "m) " + why + "; the end of its output:\n" + tail(out, 60));
        }
        return out;
    }

    private static Path codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** "KEY value" lines by key; a RESULT line's key includes its index. */
    private static Map<String, String> keyed(String out) {
        Map<String, String> lines = new HashMap<>();
        for (String line : out.split("\\R")) {
            int space = line.startsWith("RESULT ") ? line.indexOf(' ', 7) : line.indexOf(' ');
            if (space > 0) lines.put(line.substring(0, space), line.substring(space + 1).trim());
        }
        return lines;
    }

    private static long count(List<Operation> ops, String kind) {
        return ops.stream().filter(o -> o.kind().equals(kind)).count();
    }

    private static String tail(String out, int lines) {
        String[] all = out.split("\\R");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}

package io.jwren.examples;

import io.jwren.s3.S3Settings;
import io.jwren.testing.s3.S3ProxyServer;
import io.jwren.s3.S3Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wordcount's counts equal a single pass over the same bytes, with chunk boundaries inside lines, inside
 * multi-byte characters and inside lines longer than a chunk: on threads over a local directory (the
 * made-up corpus) and on worker JVMs over S3Proxy (objects written for the purpose).
 */
class WordCountCommandTest {
    @TempDir
    Path dir;

    /** Word counts of whole objects in one pass: lines split at \n, as the chunks must agree with. */
    static Map<String, Long> directCount(List<byte[]> objects) {
        HashMap<String, Long> counts = new HashMap<>();
        for (byte[] o : objects)
            for (String line : new String(o, StandardCharsets.UTF_8).split("\n")) WordCounts.countLine(line, counts);
        return counts;
    }

    /** The table's rows and the "top" lines (count, word) of a run with --top large enough for all words. */
    static Map<String, Long> printedCounts(CliRun run) {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean inTop = false;
        for (String line : run.outLines()) {
            if (line.startsWith("top ")) {
                inTop = true;
                continue;
            }
            if (!inTop) continue;
            String[] cells = line.trim().split("\\s+", 2);
            counts.put(cells[1], Long.parseLong(cells[0]));
        }
        return counts;
    }

    private static String row(CliRun run, String name) {
        return run.outLines().stream().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name + "\n" + run.transcript()));
    }

    @Test
    void onThreadsTheGeneratedCorpusCountsTheSameAsOnePass() throws Exception {
        Path store = dir.resolve("store");
        CliRun run = CliRun.of("wordcount", "--storage", store.toUri().toString(), "--generate", "2", "--chunk-size", "100KB",
                "--top", "1000", "--backend", "threads");
        assertEquals(0, run.exitCode(), run::transcript);
        List<byte[]> objects;
        try (Stream<Path> files = Files.list(store.resolve("wordcount-input"))) {
            objects = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(4, objects.size());
        Map<String, Long> expected = directCount(objects);
        assertEquals(expected, printedCounts(run), run.transcript());
        assertEquals(String.valueOf(expected.values().stream().mapToLong(Long::longValue).sum()), row(run, "words"));
        assertTrue(row(run, "chunks").startsWith("24 of at most 102400 bytes"), run.transcript()); // 4 objects of ~512 KiB
        assertTrue(printedCounts(run).containsKey("café"), "accented words survive chunk boundaries");
    }

    @Test
    void onWorkerJvmsOverS3TrickyObjectsCountTheSameAsOnePass() throws Exception {
        List<byte[]> objects = List.of(
                TextCorpus.generate(300_000, 7),
                ("crème brûlée " + "naïve ".repeat(20_000) + "end\r\nlast line without newline").getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "日本語 テキスト 日本語\n\n\nüber über\n".getBytes(StandardCharsets.UTF_8));
        try (S3ProxyServer s3 = S3ProxyServer.start(null)) {
            s3.createBucket("jwren-words");
            S3ProxyServer.useAsDefaultCredentials();
            try (S3Storage bucket = new S3Storage(URI.create("s3://jwren-words/texts/"), S3Settings.pathStyle(s3.endpoint(), "us-east-1"),
                    S3ProxyServer.credentials())) {
                for (int i = 0; i < objects.size(); i++) bucket.put("t" + i + ".txt", objects.get(i));
            }
            CliRun run = CliRun.withSystemProperties(Map.of("jwren.s3.endpoint", s3.endpoint().toString(),
                    "jwren.s3.region", "us-east-1", "jwren.s3.path-style", "true", "jwren.workers", "2"),
                    () -> CliRun.of("wordcount", "--input", "s3://jwren-words/texts/", "--chunk-size", "7001",
                            "--storage", "s3://jwren-words/run/", "--top", "1000", "--backend", "processes"));
            assertEquals(0, run.exitCode(), run::transcript);
            assertEquals(directCount(objects), printedCounts(run), run.transcript());
            assertEquals("3", row(run, "objects"), "the empty object gives no chunk");
            assertEquals("processes", row(run, "backend"));
            System.err.println("[jwren-test] wordcount over S3Proxy on processes:\n" + run.out());
        }
    }
}

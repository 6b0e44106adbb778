package io.jwren.examples;

import io.jwren.Config;
import io.jwren.Executor;
import io.jwren.MapOptions;
import io.jwren.ObjectChunk;
import io.jwren.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wordcount}: a mapReduce over the text objects under a storage location, cut into byte ranges of
 * {@code --chunk-size} (Lithops' {@code obj_chunk_size}); a line that straddles a boundary is counted
 * once. With no objects there, it first writes a made-up corpus of {@code --generate} MB.
 */
@Command(name = "wordcount",
        description = "Count the words of the objects under --input, split into --chunk-size byte ranges (mapReduce).",
        mixinStandardHelpOptions = true)
final class WordCountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExecutorOptions executorOptions;

    @Option(names = "--input", paramLabel = "LOCATION",
            description = "Objects to count: every object under a directory-like location, e.g. s3://bucket/texts/ or file:///data/texts/ (default: wordcount-input/ in the jwren storage).")
    String input;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1MB",
            description = "Bytes per map call: 65536, 512KB, 4MB, 1GB (default: ${DEFAULT-VALUE}).")
    String chunkSize;

    @Option(names = "--generate", paramLabel = "MB", defaultValue = "16",
            description = "If --input holds no objects, write this many MB of made-up text there first, in 4 objects (default: ${DEFAULT-VALUE}).")
    int generateMb;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the made-up text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Most frequent words to print (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        long chunkBytes = parseSize(chunkSize);
        if (generateMb < 0) throw new ParameterException(spec.commandLine(), "--generate must be 0 or more, was " + generateMb);
        try (Executor executor = executorOptions.build()) {
            Config config = executor.config();
            // the objects to count: a location of the user's, or wordcount-input/ in the executor's own storage
            ObjectStore store = input != null ? ObjectStore.of(input, config) : executor.storage();
            String prefix = input != null ? "" : "wordcount-input/";
            String location = withSlash(store.location()) + prefix;
            List<ObjectChunk> chunks = ObjectChunk.split(store, prefix, chunkBytes);
            if (chunks.isEmpty() && generateMb > 0) {
                generate(store, prefix, location);
                chunks = ObjectChunk.split(store, prefix, chunkBytes);
            }
            if (chunks.isEmpty()) throw new ParameterException(spec.commandLine(), "no objects with data under " + location);
            long bytes = chunks.stream().mapToLong(ObjectChunk::length).sum();
            long objects = chunks.stream().map(ObjectChunk::key).distinct().count();
            long start = System.nanoTime();
            HashMap<String, Long> counts = executor.mapReduce(WordCounts.ofChunk(), chunks, WordCounts.merge(),
                    MapOptions.builder().chunkSize(1).build()).get();
            double seconds = (System.nanoTime() - start) / 1e9;
            long words = counts.values().stream().mapToLong(Long::longValue).sum();
            PrintWriter out = spec.commandLine().getOut();
            new KeyValueTable()
                    .row("input", location)
                    .row("objects", objects)
                    .row("bytes", bytes)
                    .row("chunks", chunks.size() + " of at most " + chunkBytes + " bytes")
                    .row("words", words)
                    .row("distinct", counts.size())
                    .row("time", String.format(Locale.ROOT, "%.3f s", seconds))
                    .row("rate", String.format(Locale.ROOT, "%.0f words/s, %.1f MB/s", words / seconds, bytes / 1e6 / seconds))
                    .row("backend", config.get("jwren.backend"))
                    .print(out);
            out.println("top " + Math.min(top, counts.size()) + ":");
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .forEach(e -> out.printf(Locale.ROOT, "%12d  %s%n", e.getValue(), e.getKey()));
        }
        return 0;
    }

    private void generate(ObjectStore store, String prefix, String location) {
        long total = (long) generateMb << 20;
        for (int i = 0; i < 4; i++) store.put(prefix + "part-" + i + ".txt", TextCorpus.generate(total / 4, seed + i));
        spec.commandLine().getErr().println("wrote " + generateMb + " MB of made-up text in 4 objects under " + location);
    }

    private long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(t) * unit;
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--chunk-size must be a positive size like 65536, 512KB or 4MB, was '" + text + "'");
    }

    private static String withSlash(String uri) {
        return uri.endsWith("/") ? uri : uri + "/";
    }
}

package io.jwren;

import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line of the objects is read exactly once, in order, whatever the chunk size: the boundary rules
 * of {@link ObjectChunk#forEachLine} against a plain split of the same bytes. (In-memory storage: the
 * store is not what is under test here; the examples run the same over S3Proxy and a local directory.)
 */
class ObjectChunkTest {
    private static final Config CONFIG = Config.resolve(Map.of());

    /** What a single pass over the bytes gives: split at \n, a trailing \r dropped, no line after a final \n. */
    static List<String> directLines(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == i) break;
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return lines;
    }

    private static List<String> viaChunks(String store, long chunkBytes) {
        List<String> lines = new ArrayList<>();
        for (ObjectChunk c : ObjectChunk.split("mem://" + store + "/", chunkBytes, CONFIG)) c.forEachLine(lines::add);
        return lines;
    }

    @Test
    void everyLineOnceInOrderForEveryChunkSize() {
        String longLine = "x".repeat(3000);
        Map<String, String> objects = Map.of(
                "a-simple", "one two\nthree\nfour five six\n",
                "b-no-final-newline", "alpha beta\ngamma",
                "c-crlf", "red green\r\nblue\r\n\r\nyellow\r\n",
                "d-empty-lines", "\n\n\nx\n\n",
                "e-long-line", "short\n" + longLine + "\nend\n",
                "f-utf8", "café crème\n日本語のテキスト\nemoji 😀 here\nñ\n",
                "g-empty", "",
                "h-only-newline", "\n",
                "i-one-line", "just one line without newline");
        int maxSize = 0;
        Storage store = Providers.storage("mem://chunks-all/", CONFIG);
        for (String key : objects.keySet().stream().sorted().toList()) {
            byte[] bytes = objects.get(key).getBytes(StandardCharsets.UTF_8);
            store.put(key, bytes);
            maxSize = Math.max(maxSize, bytes.length);
        }
        List<String> expected = new ArrayList<>();
        for (String key : objects.keySet().stream().sorted().toList())
            expected.addAll(directLines(objects.get(key).getBytes(StandardCharsets.UTF_8)));
        for (long size : new long[] {1, 2, 3, 4, 5, 7, 8, 13, 64, 100, 2999, 3000, 3001, maxSize - 1, maxSize, maxSize + 5})
            assertEquals(expected, viaChunks("chunks-all", size), "chunk size " + size);
    }

    @Test
    void aLineLongerThanTheFirstReadIsFollowedToItsEnd() {
        // 300 KB lines: past the reader's 64 KiB overhang, so it must continue with further range reads.
        byte[] bytes = ("head\n" + "y".repeat(300_000) + "\n" + "z".repeat(150_000) + "\ntail").getBytes(StandardCharsets.UTF_8);
        Providers.storage("mem://chunks-long/", CONFIG).put("big", bytes);
        for (long size : new long[] {1000, 4096, 65_536, 100_000, 500_000})
            assertEquals(directLines(bytes), viaChunks("chunks-long", size), "chunk size " + size);
    }

    @Test
    void chunksCoverEachObjectWithoutGapsAndSkipEmptyOnes() {
        Storage store = Providers.storage("mem://chunks-cover/", CONFIG);
        store.put("p-1", new byte[10]);
        store.put("p-2", new byte[0]);
        store.put("q", new byte[3]);
        List<ObjectChunk> chunks = ObjectChunk.split("mem://chunks-cover/p-", 4, CONFIG);
        assertEquals(List.of("p-1[0,4)", "p-1[4,8)", "p-1[8,10)"),
                chunks.stream().map(c -> c.key() + "[" + c.offset() + "," + (c.offset() + c.length()) + ")").toList());
        assertTrue(chunks.stream().allMatch(c -> c.objectSize() == 10));
        assertThrows(IllegalArgumentException.class, () -> ObjectChunk.split("mem://chunks-cover/", 0, CONFIG));
    }
}

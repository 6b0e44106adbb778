package io.jwren.storage;

import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDirStorageTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetRangeListDelete() throws Exception {
        Storage s = new EmbeddedStorageProviders.File().open(dir.toUri(), null);
        s.put("jobs/a/inputs", utf8("0123456789"));
        s.put("jobs/a/results/0", utf8("r0"));
        s.put("jobs/a/results/1", utf8("r1"));
        s.put("jobs/b/manifest", utf8("m"));
        assertArrayEquals(utf8("345"), s.getRange("jobs/a/inputs", 3, 3));
        try (InputStream in = s.openRange("jobs/a/inputs", 8, 5)) {
            assertArrayEquals(utf8("89"), in.readAllBytes());
        }
        assertEquals(List.of("jobs/a/results/0", "jobs/a/results/1"), s.list("jobs/a/results/"));
        assertEquals(List.of("jobs/a/inputs", "jobs/a/results/0", "jobs/a/results/1", "jobs/b/manifest"), s.list("jobs/"));
        assertEquals(List.of(), s.list("nothing/"));
        s.deletePrefix("jobs/a/");
        assertEquals(List.of("jobs/b/manifest"), s.list("jobs/"));
        NoSuchKeyException e = assertThrows(NoSuchKeyException.class, () -> s.get("jobs/a/inputs"));
        assertTrue(e.getMessage().contains("jobs/a/inputs") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void putIfAbsentLetsExactlyOneConcurrentWriterWin() throws Exception {
        Storage s = new EmbeddedStorageProviders.File().open(dir.toUri(), null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] payload = utf8("writer-" + i);
                writers.add(() -> s.putIfAbsent("jobs/x/results/0", payload));
            }
            int wins = 0;
            for (Future<Boolean> f : pool.invokeAll(writers)) if (f.get()) wins++;
            assertEquals(1, wins);
        } finally {
            pool.shutdown();
        }
        String stored = new String(s.get("jobs/x/results/0"), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("writer-"));
        assertFalse(s.putIfAbsent("jobs/x/results/0", utf8("late")));
        assertEquals(stored, new String(s.get("jobs/x/results/0"), StandardCharsets.UTF_8));
    }

    @Test
    void streamedWritesAppearOnlyWhenClosed() throws Exception {
        Storage s = new EmbeddedStorageProviders.File().open(dir.toUri(), null);
        try (OutputStream out = s.create("big/object")) {
            out.write(utf8("part1-"));
            assertFalse(s.exists("big/object"));
            out.write(utf8("part2"));
        }
        assertEquals("part1-part2", new String(s.get("big/object"), StandardCharsets.UTF_8));
        assertEquals(List.of("big/object"), s.list("big/"));
    }

    @Test
    void keysCannotEscapeTheDirectory() {
        Storage s = new EmbeddedStorageProviders.File().open(dir.toUri(), null);
        assertThrows(IllegalArgumentException.class, () -> s.put("../evil", utf8("x")));
        assertThrows(IllegalArgumentException.class, () -> s.put("/abs", utf8("x")));
    }

    @Test
    void aCopyThatBreaksHalfWayIsNeverPublished() {
        Storage s = new EmbeddedStorageProviders.File().open(dir.toUri(), null);
        java.io.InputStream breaks = new java.io.InputStream() {
            int sent;

            @Override
            public int read() throws java.io.IOException {
                if (sent++ < 1000) return 'x';
                throw new java.io.IOException("the source went away");
            }
        };
        assertThrows(java.io.UncheckedIOException.class, () -> s.putStream("jobs/c/upload", breaks));
        assertFalse(s.exists("jobs/c/upload"), "a truncated object was published");
    }
}

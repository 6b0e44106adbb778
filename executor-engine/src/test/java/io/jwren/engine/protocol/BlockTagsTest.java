package io.jwren.engine.protocol;

import io.jwren.ProtocolException;
import io.jwren.spi.Storage;
import io.jwren.storage.EmbeddedStorageProviders;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Block-tagged objects: any range reads back as written, from one request; a changed byte anywhere is refused. */
class BlockTagsTest {
    private final ObjectSigner signer = new ObjectSigner(new byte[32]);
    private final Storage storage = new EmbeddedStorageProviders.Memory().open(URI.create("mem://blocks-" + UUID.randomUUID()), null);
    private final byte[] content = new byte[3 * BlockTags.BLOCK + 123];

    BlockTagsTest() {
        new Random(7).nextBytes(content);
    }

    @Test
    void theStreamAndTheWholeSealAgreeAndEveryRangeReadsBack() throws Exception {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        BlockTags.TaggingStream out = new BlockTags.TaggingStream(streamed, signer, "jobs/j/inputs");
        for (int i = 0; i < content.length; i += 1000) out.write(content, i, Math.min(1000, content.length - i));
        out.finish();
        byte[] sealed = BlockTags.seal(signer, "jobs/j/inputs", content);
        assertArrayEquals(sealed, streamed.toByteArray());
        assertTrue(sealed.length == BlockTags.storedLength(content.length));
        storage.put("jobs/j/inputs", sealed);
        int[][] ranges = {{0, 1}, {0, content.length}, {BlockTags.BLOCK - 1, 2}, {BlockTags.BLOCK, BlockTags.BLOCK},
                {5000, 7000}, {content.length - 1, 1}, {content.length, 0}};
        for (int[] r : ranges) {
            assertArrayEquals(Arrays.copyOfRange(content, r[0], r[0] + r[1]),
                    BlockTags.readRange(storage, "jobs/j/inputs", r[0], r[1], content.length, signer), r[0] + "+" + r[1]);
        }
    }

    @Test
    void aFlippedByteAMovedObjectOrAShortenedOneIsRefused() {
        byte[] sealed = BlockTags.seal(signer, "jobs/j/inputs", content);
        sealed[BlockTags.BLOCK + 40] ^= 1; // in the second block's content
        storage.put("jobs/j/inputs", sealed);
        assertArrayEquals(Arrays.copyOf(content, 100), BlockTags.readRange(storage, "jobs/j/inputs", 0, 100, content.length, signer),
                "a range in an intact block still reads");
        refused("jobs/j/inputs", BlockTags.BLOCK, 10, content.length);

        storage.put("jobs/other/inputs", BlockTags.seal(signer, "jobs/j/inputs", content));
        refused("jobs/other/inputs", 0, 10, content.length);

        storage.put("jobs/j/short", Arrays.copyOf(BlockTags.seal(signer, "jobs/j/short", content), 2 * BlockTags.BLOCK));
        assertThrows(RuntimeException.class, () -> BlockTags.readRange(storage, "jobs/j/short", content.length - 5, 5, content.length, signer));
        refused("jobs/j/short", content.length, 1, content.length); // past the signed content
    }

    private void refused(String key, long offset, long length, long contentLength) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> BlockTags.readRange(storage, key, offset, length, contentLength, signer));
        assertTrue(e.getMessage().startsWith("object '" + key + "' failed its integrity check"), e.getMessage());
    }

    /** A shortened object is an integrity refusal on every storage, also one that refuses a range past the end. */
    @Test
    void aShortenedObjectIsRefusedAsShorterThanItsSignedLength(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        byte[] sealed = BlockTags.seal(signer, "jobs/j/inputs", content);
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 100);
        Storage local = io.jwren.spi.Providers.storage(dir.toUri().toString(), io.jwren.Config.resolve(java.util.Map.of()));
        for (Storage s : new Storage[] {storage, local}) {
            s.put("jobs/j/inputs", cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> BlockTags.readRange(s, "jobs/j/inputs",
                    content.length - 10, 10, content.length, signer), s.uri());
            assertTrue(e.getMessage().contains("failed its integrity check") && e.getMessage().contains("shorter than its signed length"),
                    s.uri() + ": " + e.getMessage());
        }
    }
}

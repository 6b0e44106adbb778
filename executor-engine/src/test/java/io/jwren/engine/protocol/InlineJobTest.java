package io.jwren.engine.protocol;

import io.jwren.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InlineJobTest {
    private static final byte[] MANIFEST = "protocol=2\njob=j-M000\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FUNCTION = {1, 0, 7, 7, 7};
    private static final byte[] INPUTS = {2, 0, 2, 2};

    @Test
    void roundTripsItsThreePartsAsStored() {
        InlineJob decoded = InlineJob.decode("j-M000", new InlineJob(MANIFEST, FUNCTION, INPUTS).encode());
        assertArrayEquals(MANIFEST, decoded.manifest());
        assertArrayEquals(FUNCTION, decoded.function());
        assertArrayEquals(INPUTS, decoded.inputs());
        assertEquals(FUNCTION.length + INPUTS.length, InlineJob.size(FUNCTION, INPUTS));
    }

    @Test
    void aChainedJobHasNoInputs() {
        InlineJob decoded = InlineJob.decode("j-M001", new InlineJob(MANIFEST, FUNCTION, new byte[0]).encode());
        assertEquals(0, decoded.inputs().length);
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNamingTheJob() {
        byte[] bytes = new InlineJob(MANIFEST, FUNCTION, INPUTS).encode();
        for (byte[] bad : new byte[][] {Arrays.copyOf(bytes, bytes.length - 1), Arrays.copyOf(bytes, bytes.length + 1),
                "JWR2 not an inline job".getBytes(StandardCharsets.US_ASCII)}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> InlineJob.decode("j-M000", bad));
            assertTrue(e.getMessage().startsWith("the inline objects of job j-M000 handed to this worker are corrupt"), e.getMessage());
            assertEquals(JobKeys.job("j-M000"), e.key());
        }
    }
}

package io.jwren.engine.protocol;

import io.jwren.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A small job's objects in one message, for backends that carry them to their workers
 * ({@link io.jwren.spi.Backend#inlineLimit()}): the manifest and the function as they would be stored (a signed
 * job's manifest signed), and all inputs as plain content (never block-tagged: they travel only over the backend's
 * own channel, the one that carries the signing key, and are not checked). Layout: the 4 bytes {@code JWI1}, then
 * for each of the three a big-endian int length and the bytes. A worker takes its invocation's input records by the
 * invocation's offset and length, as from the inputs object's content.
 */
public record InlineJob(byte[] manifest, byte[] function, byte[] inputs) {
    private static final byte[] MAGIC = "JWI1".getBytes(StandardCharsets.US_ASCII);

    /** What the job adds to a message: the limit a backend sets is compared with this. */
    public static long size(byte[] function, byte[] inputs) {
        return (long) function.length + inputs.length;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 3 * Integer.BYTES + manifest.length + function.length + inputs.length);
        b.put(MAGIC);
        for (byte[] part : new byte[][] {manifest, function, inputs}) b.putInt(part.length).put(part);
        return b.array();
    }

    /** @throws ProtocolException if {@code bytes} are not an inline job of job {@code jobId} */
    public static InlineJob decode(String jobId, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IllegalArgumentException("it does not start with JWI1");
            byte[][] parts = new byte[3][];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new byte[b.getInt()];
                b.get(parts[i]);
            }
            if (b.hasRemaining()) throw new IllegalArgumentException(b.remaining() + " bytes follow its inputs");
            return new InlineJob(parts[0], parts[1], parts[2]);
        } catch (RuntimeException e) {
            throw new ProtocolException("the inline objects of job " + jobId + " handed to this worker are corrupt: "
                    + e.getMessage(), JobKeys.job(jobId), e);
        }
    }
}

package io.jwren.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.NotShippableException;
import io.jwren.engine.closure.ShippingErrors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * All inputs of a map in one object, {@code jobs/<jobId>/inputs}: the Kryo records of the inputs one
 * after another, each independent of the others. {@code jobs/<jobId>/inputs.index} holds big-endian longs: where
 * each invocation's inputs start, and the total length last (before protocol version 3, where each input starts). A
 * worker reads only its byte range.
 * In a signed job (protocol 3) both objects are stored block-tagged ({@link BlockTags}); offsets count content bytes.
 */
public final class InputsCodec {
    private InputsCodec() {}

    /** The encoded inputs (null when they were streamed to storage) and where each starts. */
    public record Encoded(byte[] data, long[] offsets) {
        /** How many inputs were encoded. */
        public int count() {
            return offsets.length - 1;
        }

        public long offset(int call) {
            return offsets[call];
        }

        public long length(int firstCall, int count) {
            return offsets[firstCall + count] - offsets[firstCall];
        }

        /**
         * The index object's content (protocol version 3): where each invocation's inputs start, at calls 0,
         * {@code chunkSize}, 2 {@code chunkSize}..., then where the last ends. One entry per invocation rather than per
         * call: a worker needs only its invocation's two, and a map of a million small inputs stores (and, signed, tags)
         * 8 KiB of index at chunk 1000 rather than 8 MiB.
         *
         * @param chunkSize the job's calls per invocation
         */
        public byte[] index(int chunkSize) {
            int invocations = (count() + chunkSize - 1) / chunkSize;
            ByteBuffer b = ByteBuffer.allocate((invocations + 1) * Long.BYTES);
            for (int k = 0; k < invocations; k++) b.putLong(offsets[k * chunkSize]);
            b.putLong(offsets[count()]);
            return b.array();
        }
    }

    /** @throws NotShippableException naming the input and the path to what cannot be serialized */
    public static Encoded encode(Kryo kryo, List<?> inputs) {
        Output out = new Output(Math.max(256, inputs.size() * 16), -1);
        long[] offsets = write(kryo, inputs, out);
        return new Encoded(out.toBytes(), offsets);
    }

    /**
     * Streams the records to {@code sink} (a storage upload) while iterating the inputs once, so memory
     * holds one input, one buffer and the offsets, never all inputs or all their records at once.
     * The sink is flushed, not closed.
     *
     * @throws NotShippableException naming the input and the path to what cannot be serialized
     */
    public static Encoded encodeTo(Kryo kryo, Iterable<?> inputs, java.io.OutputStream sink) {
        Output out = new Output(sink, 64 * 1024);
        long[] offsets = write(kryo, inputs, out);
        out.flush();
        return new Encoded(null, offsets);
    }

    /**
     * As {@link #encodeTo(Kryo, Iterable, java.io.OutputStream)}, block-tagged ({@link BlockTags}) when a signer is
     * given; offsets count content bytes either way.
     *
     * @param signer the job's signer, or null for an unsigned job
     * @param key    the inputs object's key, which the block tags cover
     */
    public static Encoded encodeTo(Kryo kryo, Iterable<?> inputs, java.io.OutputStream sink, ObjectSigner signer,
                                   String key) throws java.io.IOException {
        if (signer == null) return encodeTo(kryo, inputs, sink);
        BlockTags.TaggingStream tagged = new BlockTags.TaggingStream(sink, signer, key);
        Encoded encoded = encodeTo(kryo, inputs, tagged);
        tagged.finish();
        return encoded;
    }

    private static long[] write(Kryo kryo, Iterable<?> inputs, Output out) {
        long[] offsets = new long[(inputs instanceof Collection<?> c ? c.size() : 64) + 1];
        int i = 0;
        for (Object input : inputs) {
            if (i + 1 == offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
            offsets[i] = out.total();
            try {
                kryo.writeClassAndObject(out, input);
            } catch (KryoException | IllegalArgumentException e) {
                throw ShippingErrors.notShippable("input " + i, input, e);
            }
            i++;
        }
        offsets[i] = out.total();
        return i + 1 == offsets.length ? offsets : Arrays.copyOf(offsets, i + 1);
    }

    public static List<Object> decode(Kryo kryo, byte[] data, int count) {
        Input in = new Input(data);
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) values.add(kryo.readClassAndObject(in));
        return values;
    }

    /** Reads the (first, end) byte offsets of calls [firstCall, firstCall+count) from index bytes of that slice. */
    public static long[] rangeFromIndexSlice(byte[] slice) {
        ByteBuffer b = ByteBuffer.wrap(slice);
        long first = b.getLong(0);
        long end = b.getLong(slice.length - Long.BYTES);
        return new long[] {first, end - first};
    }
}

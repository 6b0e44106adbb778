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
 * after another, each independent of the others. {@code jobs/<jobId>/inputs.index} holds N+1 big-endian
 * longs: the offset where input i starts, and the total length last. A worker reads only its byte range.
 */
public final class InputsCodec {
    private InputsCodec() {}

    /**
     * The encoded inputs (null when they were streamed to storage), where each starts, and when signed each
     * record's tag ({@link ObjectSigner#TAG_BYTES} per call, the object {@code inputs.tags}), else null.
     */
    public record Encoded(byte[] data, long[] offsets, byte[] tags) {
        /** Unsigned inputs. */
        public Encoded(byte[] data, long[] offsets) {
            this(data, offsets, null);
        }

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

        public byte[] index() {
            ByteBuffer b = ByteBuffer.allocate(offsets.length * Long.BYTES);
            for (long o : offsets) b.putLong(o);
            return b.array();
        }
    }

    /** @throws NotShippableException naming the input and the path to what cannot be serialized */
    public static Encoded encode(Kryo kryo, List<?> inputs) {
        Output out = new Output(Math.max(256, inputs.size() * 16), -1);
        Written w = write(kryo, inputs, out, null, null);
        return new Encoded(out.toBytes(), w.offsets);
    }

    /**
     * Streams the records to {@code sink} (a storage upload) while iterating the inputs once, so memory
     * holds one input, one buffer and the offsets, never all inputs or all their records at once.
     * The sink is flushed, not closed.
     *
     * @throws NotShippableException naming the input and the path to what cannot be serialized
     */
    public static Encoded encodeTo(Kryo kryo, Iterable<?> inputs, java.io.OutputStream sink) {
        return encodeTo(kryo, inputs, sink, null, null);
    }

    /**
     * As {@link #encodeTo(Kryo, Iterable, java.io.OutputStream)}, tagging each record as it goes when a signer is
     * given: the tag of call i covers the key {@link #callKey(String, int) inputs#i} and the record's bytes.
     *
     * @param signer the job's signer, or null for unsigned inputs
     * @param jobId  the job, whose inputs key the tags cover
     */
    public static Encoded encodeTo(Kryo kryo, Iterable<?> inputs, java.io.OutputStream sink, ObjectSigner signer,
                                   String jobId) {
        Output out = new Output(sink, 64 * 1024);
        Written w = write(kryo, inputs, out, signer, jobId);
        out.flush();
        return new Encoded(null, w.offsets, w.tags);
    }

    /** The key an input record's tag covers: the inputs object's key and the call, so a record cannot move. */
    public static String callKey(String jobId, int call) {
        return JobKeys.inputs(jobId) + "#" + call;
    }

    private record Written(long[] offsets, byte[] tags) {}

    private static Written write(Kryo kryo, Iterable<?> inputs, Output out, ObjectSigner signer, String jobId) {
        long[] offsets = new long[(inputs instanceof Collection<?> c ? c.size() : 64) + 1];
        byte[] tags = signer == null ? null : new byte[(offsets.length - 1) * ObjectSigner.TAG_BYTES];
        // Signed, each record is written whole to a scratch buffer first, so its bytes can be tagged.
        Output record = signer == null ? out : new Output(1024, -1);
        int i = 0;
        for (Object input : inputs) {
            if (i + 1 == offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
            offsets[i] = out.total();
            try {
                if (signer != null) record.reset();
                kryo.writeClassAndObject(record, input);
            } catch (KryoException | IllegalArgumentException e) {
                throw ShippingErrors.notShippable("input " + i, input, e);
            }
            if (signer != null) {
                if ((i + 1) * ObjectSigner.TAG_BYTES > tags.length) tags = Arrays.copyOf(tags, tags.length * 2 + ObjectSigner.TAG_BYTES);
                System.arraycopy(signer.tag(callKey(jobId, i), record.getBuffer(), 0, record.position()), 0, tags,
                        i * ObjectSigner.TAG_BYTES, ObjectSigner.TAG_BYTES);
                out.writeBytes(record.getBuffer(), 0, record.position());
            }
            i++;
        }
        offsets[i] = out.total();
        return new Written(i + 1 == offsets.length ? offsets : Arrays.copyOf(offsets, i + 1),
                tags == null || tags.length == i * ObjectSigner.TAG_BYTES ? tags : Arrays.copyOf(tags, i * ObjectSigner.TAG_BYTES));
    }

    /**
     * Checks each record of a range of calls against its tag before any of it is decoded.
     *
     * @param signer    the job's signer
     * @param jobId     the job
     * @param firstCall the first call of the range
     * @param offsets   where each record of the range starts, and where the last ends ({@code count + 1} offsets)
     * @param data      the range's bytes, starting at {@code offsets[0]}
     * @param tags      the range's tags, {@link ObjectSigner#TAG_BYTES} per call
     * @throws io.jwren.ProtocolException naming the first call whose record fails its check
     */
    public static void verify(ObjectSigner signer, String jobId, int firstCall, long[] offsets, byte[] data, byte[] tags) {
        int count = offsets.length - 1;
        if (tags.length != count * ObjectSigner.TAG_BYTES)
            throw ObjectSigner.refused(JobKeys.inputsTags(jobId), "it holds no tag for some of calls " + firstCall
                    + " to " + (firstCall + count - 1));
        for (int j = 0; j < count; j++) {
            long from = offsets[j] - offsets[0];
            long to = offsets[j + 1] - offsets[0];
            String key = callKey(jobId, firstCall + j);
            if (from < 0 || to < from || to > data.length)
                throw ObjectSigner.refused(key, "the inputs index places it outside its invocation's bytes");
            ObjectSigner.check(key, signer.tag(key, data, (int) from, (int) (to - from)),
                    Arrays.copyOfRange(tags, j * ObjectSigner.TAG_BYTES, (j + 1) * ObjectSigner.TAG_BYTES));
        }
    }

    /** Reads the N+1 offsets of an index slice. */
    public static long[] offsetsFromIndexSlice(byte[] slice) {
        ByteBuffer b = ByteBuffer.wrap(slice);
        long[] offsets = new long[slice.length / Long.BYTES];
        for (int i = 0; i < offsets.length; i++) offsets[i] = b.getLong();
        return offsets;
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

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
 * In a signed job (protocol 3) each record is framed with its length and tag ({@link #checkedRecords}).
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

        public byte[] index() {
            ByteBuffer b = ByteBuffer.allocate(offsets.length * Long.BYTES);
            for (long o : offsets) b.putLong(o);
            return b.array();
        }
    }

    /** @throws NotShippableException naming the input and the path to what cannot be serialized */
    public static Encoded encode(Kryo kryo, List<?> inputs) {
        Output out = new Output(Math.max(256, inputs.size() * 16), -1);
        long[] offsets = write(kryo, inputs, out, null, null);
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
        return encodeTo(kryo, inputs, sink, null, null);
    }

    /**
     * As {@link #encodeTo(Kryo, Iterable, java.io.OutputStream)}, and when a signer is given each record is framed
     * as {@code int32 length ‖ record ‖ tag}, the tag covering the key {@link #callKey(String, int) inputs#i} and the
     * record: a worker checks the records of its byte range from that range alone, before decoding any.
     *
     * @param signer the job's signer, or null for unsigned inputs
     * @param jobId  the job, whose inputs key the tags cover
     */
    public static Encoded encodeTo(Kryo kryo, Iterable<?> inputs, java.io.OutputStream sink, ObjectSigner signer,
                                   String jobId) {
        Output out = new Output(sink, 64 * 1024);
        long[] offsets = write(kryo, inputs, out, signer, jobId);
        out.flush();
        return new Encoded(null, offsets);
    }

    /** The key an input record's tag covers: the inputs object's key and the call, so a record cannot move. */
    public static String callKey(String jobId, int call) {
        return JobKeys.inputs(jobId) + "#" + call;
    }

    private static long[] write(Kryo kryo, Iterable<?> inputs, Output out, ObjectSigner signer, String jobId) {
        long[] offsets = new long[(inputs instanceof Collection<?> c ? c.size() : 64) + 1];
        // Signed, each record is written whole to a scratch buffer first: its length and tag frame it.
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
                int n = record.position();
                out.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}); // big-endian
                out.writeBytes(record.getBuffer(), 0, record.position());
                out.writeBytes(signer.tag(callKey(jobId, i), record.getBuffer(), 0, record.position()));
            }
            i++;
        }
        offsets[i] = out.total();
        return i + 1 == offsets.length ? offsets : Arrays.copyOf(offsets, i + 1);
    }

    /**
     * The records of a signed range of calls, one after another as {@link #decode} reads them, once each record's
     * frame is checked against its tag: nothing of the range is decoded before all of it is checked.
     *
     * @param signer    the job's signer
     * @param jobId     the job
     * @param firstCall the first call of the range
     * @param count     calls in the range
     * @param framed    the range's bytes as stored
     * @throws io.jwren.ProtocolException naming the first call whose record fails its check
     */
    public static byte[] checkedRecords(ObjectSigner signer, String jobId, int firstCall, int count, byte[] framed) {
        ByteBuffer in = ByteBuffer.wrap(framed);
        byte[] records = new byte[Math.max(0, framed.length - count * (Integer.BYTES + ObjectSigner.TAG_BYTES))];
        int written = 0;
        for (int j = 0; j < count; j++) {
            String key = callKey(jobId, firstCall + j);
            int length = in.remaining() >= Integer.BYTES ? in.getInt() : -1;
            if (length < 0 || length > in.remaining() - ObjectSigner.TAG_BYTES || written + length > records.length)
                throw ObjectSigner.refused(key, "its frame does not fit its invocation's byte range");
            int from = in.position();
            byte[] tag = new byte[ObjectSigner.TAG_BYTES];
            in.position(from + length).get(tag);
            ObjectSigner.check(key, signer.tag(key, framed, from, length), tag);
            System.arraycopy(framed, from, records, written, length);
            written += length;
        }
        if (in.hasRemaining())
            throw ObjectSigner.refused(JobKeys.inputs(jobId), "calls " + firstCall + " to " + (firstCall + count - 1)
                    + " are followed by " + in.remaining() + " bytes no call's frame holds");
        return records;
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

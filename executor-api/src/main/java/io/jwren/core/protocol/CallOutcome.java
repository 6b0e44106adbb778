package io.jwren.core.protocol;

/**
 * The outcome of one call. A value travels as Kryo bytes ({@link #valueBytes}) between JVMs, or as the
 * object itself ({@link #value}) within one.
 *
 * @param index      the call's index in its map
 * @param error      the failure, or null on success
 * @param value      the result object (in-process), or null
 * @param valueBytes the serialized result (between JVMs), or null
 * @param startMs    when the call started, epoch milliseconds
 * @param endMs      when it ended, epoch milliseconds
 */
public record CallOutcome(int index, ErrorInfo error, Object value, byte[] valueBytes, long startMs, long endMs) {
    public boolean ok() {
        return error == null;
    }

    public static CallOutcome success(int index, Object value, long startMs, long endMs) {
        return new CallOutcome(index, null, value, null, startMs, endMs);
    }

    public static CallOutcome failure(int index, Throwable t, long startMs, long endMs) {
        return new CallOutcome(index, ErrorInfo.of(t), null, null, startMs, endMs);
    }
}

package io.jwren.engine.protocol;

/**
 * The outcome of one call. A value travels as Kryo bytes ({@link #valueBytes}) between JVMs, or as the
 * object itself ({@link #value}) within one. A value too big to sit inline in its result object is
 * stored as an object of its own ({@link #valueKey}) and read back as a stream.
 *
 * @param index      the call's index in its map
 * @param error      the failure, or null on success
 * @param value      the result object (in-process), or null
 * @param valueBytes the serialized result (between JVMs), or null
 * @param valueKey   the storage key holding the serialized result when it was too big to inline, or null
 * @param startMs    when the call started, epoch milliseconds
 * @param endMs      when it ended, epoch milliseconds
 * @param metrics    what it cost on its worker, and its re-runs
 */
public record CallOutcome(int index, ErrorInfo error, Object value, byte[] valueBytes, String valueKey, long startMs, long endMs,
                          CallMetrics metrics) {
    public CallOutcome {
        if (metrics == null) metrics = CallMetrics.NONE;
    }

    /** An outcome with nothing measured. */
    public CallOutcome(int index, ErrorInfo error, Object value, byte[] valueBytes, String valueKey, long startMs, long endMs) {
        this(index, error, value, valueBytes, valueKey, startMs, endMs, CallMetrics.NONE);
    }

    /** {@return this outcome with {@code m} as its metrics} */
    public CallOutcome withMetrics(CallMetrics m) {
        return new CallOutcome(index, error, value, valueBytes, valueKey, startMs, endMs, m);
    }

    public boolean ok() {
        return error == null;
    }

    public static CallOutcome inline(int index, byte[] valueBytes, long startMs, long endMs) {
        return new CallOutcome(index, null, null, valueBytes, null, startMs, endMs);
    }

    public static CallOutcome stored(int index, String valueKey, long startMs, long endMs) {
        return new CallOutcome(index, null, null, null, valueKey, startMs, endMs);
    }

    public static CallOutcome success(int index, Object value, long startMs, long endMs) {
        return new CallOutcome(index, null, value, null, null, startMs, endMs);
    }

    public static CallOutcome failure(int index, Throwable t, long startMs, long endMs) {
        return new CallOutcome(index, ErrorInfo.of(t), null, null, null, startMs, endMs);
    }
}

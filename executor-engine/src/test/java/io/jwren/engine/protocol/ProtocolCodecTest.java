package io.jwren.engine.protocol;

import io.jwren.ProtocolException;
import io.jwren.RemoteCallException;
import io.jwren.engine.closure.KryoFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolCodecTest {

    @Test
    void manifestRoundTripsAndRefusesOtherVersions() {
        Manifest m = new Manifest(Manifest.PROTOCOL, "ab-M001", 10, 3, List.of("classes/x.jar", "classes/y.jar"), 61,
                60_000, Instant.parse("2026-11-22T10:00:00Z"), "processes");
        Manifest back = Manifest.parse("k", m.toBytes());
        assertEquals(m, back);
        assertEquals(4, back.invocations());
        String text = new String(m.toBytes(), StandardCharsets.UTF_8).replace("protocol=" + Manifest.PROTOCOL, "protocol=99");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Manifest.parse("jobs/ab-M001/manifest", text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("jobs/ab-M001/manifest") && e.getMessage().contains("99"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Manifest.parse("jobs/x/manifest", "garbage=1".getBytes()));
        assertTrue(e.getMessage().contains("jobs/x/manifest") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aChainedManifestNamesTheJobItReadsInsteadOfInputsAndRoundTrips() {
        Manifest m = new Manifest(Manifest.PROTOCOL, "ab-M002", 10, 3, List.of("classes/x.jar"), 61, 60_000,
                Instant.parse("2026-12-03T10:00:00Z"), "processes", "ab-M001", 3);
        String text = new String(m.toBytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("inputs-from=ab-M001") && text.contains("inputs-chunk-size=3")
                && !text.contains("inputs="), text);
        Manifest back = Manifest.parse("k", m.toBytes());
        assertEquals(m, back);
        assertTrue(back.chained());
    }

    @Test
    void resultsRoundTripValuesAndErrors() {
        IllegalStateException boom = new IllegalStateException("boom");
        InvocationResult r = new InvocationResult(4, 1, "w-1", "printed\n", List.of(
                CallOutcome.inline(8, new byte[] {1, 2, 3}, 100, 200),
                CallOutcome.failure(9, boom, 300, 400),
                CallOutcome.stored(10, "jobs/j/values/10-ab12", 500, 600)));
        InvocationResult back = ResultCodec.decode("k", ResultCodec.encode(r));
        assertEquals(4, back.invocation());
        assertEquals(1, back.attempt());
        assertEquals("w-1", back.workerId());
        assertEquals("printed\n", back.logTail());
        assertArrayEquals(new byte[] {1, 2, 3}, back.calls().get(0).valueBytes());
        assertEquals(200, back.calls().get(0).endMs());
        assertEquals("jobs/j/values/10-ab12", back.calls().get(2).valueKey());
        assertEquals(null, back.calls().get(2).valueBytes());
        assertTrue(back.calls().get(2).ok());
        ErrorInfo err = back.calls().get(1).error();
        assertEquals(IllegalStateException.class.getName(), err.className());
        Throwable t = err.toThrowable(getClass().getClassLoader(), 9);
        assertInstanceOf(IllegalStateException.class, t);
        assertEquals("boom", t.getMessage());
        assertEquals(Arrays.asList(boom.getStackTrace()), Arrays.asList(t.getStackTrace()));
    }

    @Test
    void version2CarriesEachCallsCostAndReRunsAndVersion1StillReadsAndWrites() {
        CallMetrics m = new CallMetrics(52_000_000L, 10_485_776L, true, List.of(ErrorInfo.of(new java.io.IOException("flaky"))));
        InvocationResult r = new InvocationResult(0, 0, "w", "", List.of(
                CallOutcome.inline(0, new byte[] {7}, 1, 2).withMetrics(m),
                CallOutcome.failure(1, new IllegalStateException("x"), 3, 4).withMetrics(m)));
        byte[] v2 = ResultCodec.encode(r, 2);
        assertEquals("JWR2", new String(v2, 0, 4, StandardCharsets.US_ASCII));
        for (CallOutcome c : ResultCodec.decode("k", v2).calls()) {
            assertEquals(52_000_000L, c.metrics().cpuNanos());
            assertEquals(10_485_776L, c.metrics().allocatedBytes());
            assertTrue(c.metrics().coldStart());
            assertEquals("flaky", c.metrics().reruns().get(0).message());
        }
        // a job of protocol 1 gets a result its client reads: no metrics in it
        byte[] v1 = ResultCodec.encode(r, 1);
        assertEquals("JWR1", new String(v1, 0, 4, StandardCharsets.US_ASCII));
        InvocationResult old = ResultCodec.decode("k", v1);
        assertArrayEquals(new byte[] {7}, old.calls().get(0).valueBytes());
        assertEquals("x", old.calls().get(1).error().message());
        assertEquals(CallMetrics.NONE, old.calls().get(0).metrics());
        // and a manifest of protocol 1 (no retry fields) still parses, with no re-runs
        Manifest m1 = new Manifest(1, "ab-M002", 2, 1, List.of(), 0, 1000, Instant.parse("2026-11-22T10:00:00Z"), "processes");
        assertFalse(new String(m1.toBytes(), StandardCharsets.UTF_8).contains("retry-on"));
        assertEquals(RetryPolicy.NONE, Manifest.parse("k", m1.toBytes()).retry());
        Manifest m2 = new Manifest(Manifest.PROTOCOL, "ab-M003", 2, 1, List.of(), 0, 1000, Instant.parse("2026-11-22T10:00:00Z"),
                "processes", new RetryPolicy(List.of("java.io.IOException", "a.B"), 4, 50, 800));
        assertEquals(m2, Manifest.parse("k", m2.toBytes()));
    }

    @Test
    void version3IsCompactAndCarriesEverythingVersion2Does() {
        CallMetrics rerun = new CallMetrics(52_000_000L, 10_485_776L, true, List.of(ErrorInfo.of(new java.io.IOException("flaky"))));
        long t0 = 1_796_000_000_000L;
        List<CallOutcome> calls = new java.util.ArrayList<>();
        calls.add(CallOutcome.inline(5000, new byte[] {7}, t0, t0 + 3).withMetrics(rerun));
        calls.add(CallOutcome.inline(5001, new byte[0], t0 + 3, t0 + 3).withMetrics(new CallMetrics(1200, 0, false, List.of())));
        calls.add(CallOutcome.failure(5002, new IllegalStateException("x"), t0 + 4, t0 + 2)); // a clock that stepped back
        calls.add(CallOutcome.stored(5009, "jobs/j/values/5009-ab", t0 + 10, t0 + 70)); // calls need not be in line
        calls.add(CallOutcome.inline(4000, null, 0, 0)); // nor in order, and a time may be unknown
        InvocationResult r = new InvocationResult(5, 2, "host-17", "log\n", calls);
        byte[] v3 = ResultCodec.encode(r, 3);
        assertEquals("JWR3", new String(v3, 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(v3, ResultCodec.encode(r), "version 3 is the current one");
        InvocationResult back = ResultCodec.decode("k", v3);
        assertEquals(List.of(5, 2, "host-17", "log\n"), List.of(back.invocation(), back.attempt(), back.workerId(), back.logTail()));
        for (int i = 0; i < calls.size(); i++) {
            CallOutcome a = calls.get(i);
            CallOutcome b = back.calls().get(i);
            assertEquals(List.of(a.index(), a.startMs(), a.endMs(), a.ok()), List.of(b.index(), b.startMs(), b.endMs(), b.ok()), "call " + i);
            assertArrayEquals(a.valueBytes(), b.valueBytes(), "call " + i);
            assertEquals(a.valueKey(), b.valueKey(), "call " + i);
            assertEquals(a.metrics().cpuNanos(), b.metrics().cpuNanos());
            assertEquals(a.metrics().allocatedBytes(), b.metrics().allocatedBytes());
            assertEquals(a.metrics().coldStart(), b.metrics().coldStart());
            assertEquals(a.metrics().reruns().size(), b.metrics().reruns().size());
        }
        assertEquals("flaky", back.calls().get(0).metrics().reruns().get(0).message());
        assertEquals("x", back.calls().get(2).error().message());
        java.util.function.Function<StackTraceElement[], List<String>> frames = t -> Arrays.stream(t)
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")").toList();
        assertEquals(frames.apply(calls.get(2).error().stackTrace()), frames.apply(back.calls().get(2).error().stackTrace()));

        // a thousand small values, as a chunk of trivial calls makes: a fraction of version 2's bytes
        List<CallOutcome> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++)
            many.add(CallOutcome.inline(i, new byte[] {2, (byte) i}, t0 + i, t0 + i).withMetrics(new CallMetrics(900 + i, 24, false, List.of())));
        InvocationResult chunk = new InvocationResult(0, 0, "w", "", many);
        int compact = ResultCodec.encode(chunk, 3).length;
        int fixed = ResultCodec.encode(chunk, 2).length;
        assertTrue(compact * 3 < fixed, compact + " bytes in version 3, " + fixed + " in version 2");
        assertEquals(many.get(999).metrics().cpuNanos(), ResultCodec.decode("k", ResultCodec.encode(chunk, 3)).calls().get(999).metrics().cpuNanos());
    }

    @Test
    void aSignedVersion3ResultIsCheckedWhereItLiesAndRefusedOnceAltered() {
        ObjectSigner signer = ObjectSigner.random();
        InvocationResult r = new InvocationResult(0, 0, "w", "", List.of(CallOutcome.inline(0, new byte[] {1, 2}, 1, 2)));
        byte[] sealed = ResultCodec.encode(r, 3, "jobs/j/results/0", signer);
        assertArrayEquals(new byte[] {1, 2}, ResultCodec.decode("jobs/j/results/0", sealed, signer).calls().get(0).valueBytes());
        ProtocolException moved = assertThrows(ProtocolException.class, () -> ResultCodec.decode("jobs/j/results/1", sealed, signer));
        assertTrue(moved.getMessage().contains("integrity check"), moved.getMessage());
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 1;
            assertThrows(ProtocolException.class, () -> ResultCodec.decode("jobs/j/results/0", altered, signer), "byte " + i);
        }
    }

    @Test
    void anErrorWhoseClassCannotLoadBecomesRemoteCallExceptionWithTheRemoteTrace() {
        StackTraceElement[] trace = {new StackTraceElement("com.acme.Sim", "step", "Sim.java", 42)};
        ErrorInfo info = new ErrorInfo("com.acme.SimulationDiverged", "dt too large", trace, "printed", new byte[] {0, 1});
        Throwable t = info.toThrowable(getClass().getClassLoader(), 17);
        RemoteCallException r = assertInstanceOf(RemoteCallException.class, t);
        assertEquals("com.acme.SimulationDiverged", r.remoteClassName());
        assertEquals("dt too large", r.remoteMessage());
        assertEquals(17, r.callIndex());
        assertArrayEquals(trace, r.getStackTrace());
        assertTrue(r.getMessage().contains("com.acme.SimulationDiverged: dt too large"), r.getMessage());
    }

    @Test
    void corruptOrTruncatedResultsNameTheirKey() {
        byte[] good = ResultCodec.encode(new InvocationResult(0, 0, "w", "", List.of(CallOutcome.inline(0, new byte[5], 1, 2))));
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ResultCodec.decode("jobs/j/results/0", truncated));
        assertTrue(e.getMessage().contains("jobs/j/results/0"), e.getMessage());
        byte[] garbage = "not a result".getBytes();
        e = assertThrows(ProtocolException.class, () -> ResultCodec.decode("jobs/j/results/1", garbage));
        assertTrue(e.getMessage().contains("jobs/j/results/1") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void inputsDecodeFromTheirOwnByteRangeOnly() {
        List<Object> inputs = List.of("a", 2, List.of(3, 4), "dddd", 5.0);
        var kryo = KryoFactory.newKryo(getClass().getClassLoader());
        InputsCodec.Encoded enc = InputsCodec.encode(kryo, inputs);
        byte[] index = enc.index(2); // invocations of calls 0-1, 2-3 and 4
        assertEquals((3 + 1) * 8, index.length, "an entry per invocation, and the end");
        // invocation 1 (calls 2..3), read through the index as a worker without a range does: its two entries
        byte[] slice = Arrays.copyOfRange(index, 8, 3 * 8);
        long[] range = InputsCodec.rangeFromIndexSlice(slice);
        assertEquals(enc.offset(2), range[0]);
        assertEquals(enc.length(2, 2), range[1]);
        byte[] part = Arrays.copyOfRange(enc.data(), (int) range[0], (int) (range[0] + range[1]));
        assertEquals(List.of(List.of(3, 4), "dddd"), InputsCodec.decode(KryoFactory.newKryo(getClass().getClassLoader()), part, 2));
        long[] last = InputsCodec.rangeFromIndexSlice(Arrays.copyOfRange(index, 2 * 8, 4 * 8));
        assertEquals(List.of(5.0), InputsCodec.decode(KryoFactory.newKryo(getClass().getClassLoader()),
                Arrays.copyOfRange(enc.data(), (int) last[0], (int) (last[0] + last[1])), 1));
    }

    @Test
    void inputsStreamFromAnIterableOfUnknownSizeIteratedOnce() {
        int[] iterations = {0};
        Iterable<Integer> once = () -> {
            if (iterations[0]++ > 0) throw new IllegalStateException("iterated twice");
            return java.util.stream.IntStream.range(0, 200).boxed().iterator();
        };
        var sink = new java.io.ByteArrayOutputStream();
        InputsCodec.Encoded enc = InputsCodec.encodeTo(KryoFactory.newKryo(getClass().getClassLoader()), once, sink);
        assertEquals(200, enc.count());
        assertEquals(sink.size(), enc.offset(200));
        byte[] part = Arrays.copyOfRange(sink.toByteArray(), (int) enc.offset(150), (int) enc.offset(153));
        assertEquals(List.of(150, 151, 152), InputsCodec.decode(KryoFactory.newKryo(getClass().getClassLoader()), part, 3));
    }
}

package io.jwren.engine.worker;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import io.jwren.ProtocolException;
import io.jwren.SerializableFunction;
import io.jwren.engine.closure.ClosurePackager;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.protocol.BlockTags;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InlineJob;
import io.jwren.engine.protocol.InputsCodec;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.spi.Invocation;
import io.jwren.spi.Storage;
import io.jwren.storage.EmbeddedStorageProviders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's invocation loop against storage: what it reads, what it writes, how it reports bad objects. */
class InvocationRunnerTest {
    @TempDir
    Path cache;
    Storage storage;
    InvocationRunner runner;

    @BeforeEach
    void setUp() {
        storage = new EmbeddedStorageProviders.Memory().open(URI.create("mem://runner-" + UUID.randomUUID()), null);
        runner = InvocationRunner.create(storage, "test-worker", cache);
    }

    private String stage(SerializableFunction<Integer, ?> fn, List<Integer> inputs, int chunk) {
        String jobId = "job" + UUID.randomUUID().toString().substring(0, 8);
        PackagedClosure pc = new ClosurePackager().pack(fn, getClass().getClassLoader(), 0);
        InputsCodec.Encoded enc = InputsCodec.encode(KryoFactory.newKryo(getClass().getClassLoader()), List.copyOf(inputs));
        storage.put(JobKeys.function(jobId), pc.function());
        storage.put(JobKeys.inputs(jobId), enc.data());
        storage.put(JobKeys.inputsIndex(jobId), enc.index(chunk));
        storage.put(JobKeys.manifest(jobId), new Manifest(Manifest.PROTOCOL, jobId, inputs.size(), chunk, List.of(), 0,
                60_000, Instant.now(), "test").toBytes());
        return jobId;
    }

    /** A job staged as a signing client stages it: manifest signed, inputs and index block-tagged. */
    private String stageSigned(ObjectSigner signer, SerializableFunction<String, ?> fn, List<String> inputs, int chunk) {
        String jobId = "job" + UUID.randomUUID().toString().substring(0, 8);
        PackagedClosure pc = new ClosurePackager().pack(fn, getClass().getClassLoader(), 0);
        InputsCodec.Encoded enc = InputsCodec.encode(KryoFactory.newKryo(getClass().getClassLoader()), List.copyOf(inputs));
        storage.put(JobKeys.function(jobId), pc.function());
        storage.put(JobKeys.inputs(jobId), BlockTags.seal(signer, JobKeys.inputs(jobId), enc.data()));
        storage.put(JobKeys.inputsIndex(jobId), BlockTags.seal(signer, JobKeys.inputsIndex(jobId), enc.index(chunk)));
        Manifest m = new Manifest(Manifest.PROTOCOL, jobId, inputs.size(), chunk, List.of(), 0, 60_000, Instant.now(), "test")
                .withIntegrity(new Manifest.Integrity(HexFormat.of().formatHex(signer.tag(JobKeys.function(jobId), pc.function())),
                        List.of(), enc.offset(enc.count())));
        storage.put(JobKeys.manifest(jobId), m.toBytes(signer));
        return jobId;
    }

    @Test
    void aSignedWorkerChecksItsRangeAcrossBlocksFromTheIndexAndSignsItsResult() {
        ObjectSigner signer = ObjectSigner.random();
        List<String> inputs = List.of("a".repeat(3000), "b".repeat(3000), "c".repeat(3000), "d".repeat(3000));
        String job = stageSigned(signer, String::length, inputs, 2);
        runner.signedWith(signer).run(new Invocation(job, 1, 2, 2, 0, -1, -1)); // calls 2-3 straddle blocks 1 and 2
        String key = JobKeys.result(job, 1);
        InvocationResult r = ResultCodec.decode(key, storage.get(key), signer);
        Kryo kryo = KryoFactory.newKryo(getClass().getClassLoader());
        assertEquals(List.of(3000, 3000), r.calls().stream().map(c -> kryo.readClassAndObject(new Input(c.valueBytes()))).toList());
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> ResultCodec.decode(key, storage.get(key), ObjectSigner.random()));
        assertTrue(e.getMessage().startsWith("object '" + key + "' failed its integrity check"), e.getMessage());
    }

    @Test
    void aSignedWorkerRefusesAFlippedIndexAndAnUnsignedJob() {
        ObjectSigner signer = ObjectSigner.random();
        runner.signedWith(signer);
        String job = stageSigned(signer, String::length, List.of("x", "yy"), 2);
        byte[] index = storage.get(JobKeys.inputsIndex(job));
        index[3] ^= 1;
        storage.put(JobKeys.inputsIndex(job), index);
        runner.run(new Invocation(job, 0, 0, 2, 0, -1, -1));
        assertAllCallsFailNaming(job, 2, JobKeys.inputsIndex(job), "failed its integrity check", signer);

        String unsigned = stage(x -> x, List.of(1), 1);
        runner.run(new Invocation(unsigned, 0, 0, 1, 0, -1, -1));
        assertAllCallsFailNaming(unsigned, 1, JobKeys.manifest(unsigned), "it is not signed", signer);
    }

    @Test
    void aSignedWorkerRunsAnInlineJobReadingNoneOfItAndHandsBackItsSealedResult() {
        ObjectSigner signer = ObjectSigner.random();
        runner.signedWith(signer);
        List<String> inputs = List.of("a", "bb", "ccc");
        String job = stageSigned(signer, String::length, inputs, 3);
        byte[] manifest = storage.get(JobKeys.manifest(job));
        byte[] function = storage.get(JobKeys.function(job));
        byte[] content = InputsCodec.encode(KryoFactory.newKryo(getClass().getClassLoader()), List.copyOf(inputs)).data();
        // only the manifest stays: the job's other objects travel inline, as plain content
        storage.delete(JobKeys.function(job));
        storage.delete(JobKeys.inputs(job));
        storage.delete(JobKeys.inputsIndex(job));
        InvocationRunner.Finished done = runner.run(new Invocation(job, 0, 0, 3, 0, 0, content.length),
                new InlineJob(manifest, function, content).encode());
        String key = JobKeys.result(job, 0);
        assertTrue(done.stored());
        assertEquals(List.of(key), storage.list(JobKeys.job(job)).stream().filter(k -> !k.endsWith("manifest")).toList());
        assertTrue(java.util.Arrays.equals(storage.get(key), done.resultObject()), "what it hands back is what it stored");
        InvocationResult r = ResultCodec.decode(key, done.resultObject(), signer);
        Kryo kryo = KryoFactory.newKryo(getClass().getClassLoader());
        assertEquals(List.of(1, 2, 3), r.calls().stream().map(c -> kryo.readClassAndObject(new Input(c.valueBytes()))).toList());

        // a manifest that vouches for no bundles is refused, inline or not, by a worker that holds a key
        String unsigned = stage(x -> x, List.of(1), 1);
        byte[] unsignedManifest = storage.get(JobKeys.manifest(unsigned));
        byte[] unsignedFunction = storage.get(JobKeys.function(unsigned));
        byte[] one = storage.get(JobKeys.inputs(unsigned));
        runner.run(new Invocation(unsigned, 0, 0, 1, 0, 0, one.length), new InlineJob(unsignedManifest, unsignedFunction, one).encode());
        assertAllCallsFailNaming(unsigned, 1, JobKeys.manifest(unsigned), "lists no bundle hashes", signer);
    }

    private InvocationResult stored(String jobId, int n) {
        String key = JobKeys.result(jobId, n);
        return ResultCodec.decode(key, storage.get(key));
    }

    @Test
    void runsItsSliceFromTheIndexAndWritesOneResultObject() {
        String job = stage(x -> x * 10, List.of(1, 2, 3, 4, 5), 2);
        runner.run(new Invocation(job, 1, 2, 2, 0, -1, -1)); // no byte range given: read it from the index
        InvocationResult r = stored(job, 1);
        assertEquals("test-worker", r.workerId());
        Kryo kryo = KryoFactory.newKryo(getClass().getClassLoader());
        assertEquals(List.of(2, 3), r.calls().stream().map(CallOutcome::index).toList());
        assertEquals(30, kryo.readClassAndObject(new Input(r.calls().get(0).valueBytes())));
        assertEquals(40, kryo.readClassAndObject(new Input(r.calls().get(1).valueBytes())));
        assertEquals(List.of(JobKeys.result(job, 1)), storage.list(JobKeys.resultsPrefix(job)));
    }

    @Test
    void aJobStagedWithoutAnExecutorRunsItsInvocations() {
        for (boolean ship : List.of(true, false)) {
            SerializableFunction<Integer, String> fn = x -> "n" + x;
            String job = io.jwren.engine.JobStaging.stage(storage, fn, List.of(1, 2, 3), 2, ship);
            Manifest m = Manifest.parse(JobKeys.manifest(job), storage.get(JobKeys.manifest(job)));
            assertEquals(List.of(3, 2, 2), List.of(m.calls(), m.chunkSize(), m.invocations()));
            assertEquals(ship, !m.bundles().isEmpty(), "this test's class ships only when asked: " + m.bundles());
            Invocation last = runner.invocation(job, 1, 0);
            runner.run(last);
            Kryo kryo = KryoFactory.newKryo(getClass().getClassLoader());
            List<CallOutcome> calls = stored(job, 1).calls();
            assertEquals(List.of(2), calls.stream().map(CallOutcome::index).toList());
            assertEquals("n3", kryo.readClassAndObject(new Input(calls.get(0).valueBytes())));
        }
    }

    @Test
    void theFirstResultWinsAndALateAttemptChangesNothing() {
        String job = stage(x -> x + 1, List.of(1), 1);
        runner.run(new Invocation(job, 0, 0, 1, 0, -1, -1));
        byte[] first = storage.get(JobKeys.result(job, 0));
        runner.run(new Invocation(job, 0, 0, 1, 1, -1, -1));
        assertEquals(0, stored(job, 0).attempt());
        assertTrue(java.util.Arrays.equals(first, storage.get(JobKeys.result(job, 0))));
    }

    private void assertAllCallsFailNaming(String job, int calls, String key, String words) {
        assertAllCallsFailNaming(job, calls, key, words, null);
    }

    private void assertAllCallsFailNaming(String job, int calls, String key, String words, ObjectSigner signer) {
        String resultKey = JobKeys.result(job, 0);
        InvocationResult r = ResultCodec.decode(resultKey, storage.get(resultKey), signer);
        assertEquals(calls, r.calls().size());
        for (CallOutcome c : r.calls()) {
            assertFalse(c.ok());
            Throwable t = c.error().toThrowable(getClass().getClassLoader(), c.index());
            ProtocolException p = assertInstanceOf(ProtocolException.class, t);
            assertEquals(key, p.key());
            assertTrue(p.getMessage().contains(key) && p.getMessage().contains(words), p.getMessage());
        }
    }

    @Test
    void aMissingFunctionFailsEveryCallNamingTheKey() {
        String job = stage(x -> x, List.of(1, 2), 2);
        storage.deletePrefix(JobKeys.function(job));
        runner.run(new Invocation(job, 0, 0, 2, 0, -1, -1));
        assertAllCallsFailNaming(job, 2, JobKeys.function(job), "missing");
    }

    @Test
    void aCorruptFunctionFailsEveryCallNamingTheKey() {
        String job = stage(x -> x, List.of(1, 2), 2);
        storage.put(JobKeys.function(job), new byte[] {1, 2, 3, 4, 5, 6, 7});
        runner.run(new Invocation(job, 0, 0, 2, 0, -1, -1));
        assertAllCallsFailNaming(job, 2, JobKeys.function(job), "cannot be deserialized");
    }

    @Test
    void aMissingManifestOrInputsOrIndexIsNamed() {
        String job = stage(x -> x, List.of(1), 1);
        storage.deletePrefix(JobKeys.manifest(job));
        runner.run(new Invocation(job, 0, 0, 1, 0, -1, -1));
        assertAllCallsFailNaming(job, 1, JobKeys.manifest(job), "missing");

        String job2 = stage(x -> x, List.of(1), 1);
        storage.deletePrefix(JobKeys.inputsIndex(job2));
        runner.run(new Invocation(job2, 0, 0, 1, 0, -1, -1));
        assertAllCallsFailNaming(job2, 1, JobKeys.inputsIndex(job2), "missing");

        String job3 = stage(x -> x, List.of(1), 1);
        storage.put(JobKeys.inputs(job3), new byte[] {(byte) 0xff, (byte) 0xfe, 0x7f, 0x11, 0x22, 0x33});
        runner.run(new Invocation(job3, 0, 0, 1, 0, -1, -1));
        assertAllCallsFailNaming(job3, 1, JobKeys.inputs(job3), "corrupt");
    }

    @Test
    void aManifestOfAnotherProtocolVersionIsRefused() {
        String job = stage(x -> x, List.of(1), 1);
        int next = Manifest.PROTOCOL + 1;
        String text = new String(storage.get(JobKeys.manifest(job))).replace("protocol=" + Manifest.PROTOCOL, "protocol=" + next);
        storage.put(JobKeys.manifest(job), text.getBytes());
        runner.run(new Invocation(job, 0, 0, 1, 0, -1, -1));
        assertAllCallsFailNaming(job, 1, JobKeys.manifest(job), "protocol version " + next);
    }

    @Test
    void aJobNeedingANewerJavaIsRefusedWithTheVersions() {
        String job = stage(x -> x, List.of(1), 1);
        String text = new String(storage.get(JobKeys.manifest(job))).replace("min-java-class-version=0", "min-java-class-version=99");
        storage.put(JobKeys.manifest(job), text.getBytes());
        runner.run(new Invocation(job, 0, 0, 1, 0, -1, -1));
        InvocationResult r = stored(job, 0);
        String msg = r.calls().get(0).error().message();
        assertTrue(msg.contains("Java 55") && msg.contains("this worker runs Java " + Runtime.version().feature()), msg);
    }

    @Test
    void valuesPastTheInlineBudgetGoToObjectsOfTheirOwnAndTheResultObjectStaysSmall() throws Exception {
        int big = 6 << 20;   // over the 5 MB the issue names: never inline
        int half = 3 << 20;  // fits alone, but two of them pass the 4 MiB budget
        String job = stage(n -> filled(n), List.of(10, big, half, half, 20), 5);
        runner.run(new Invocation(job, 0, 0, 5, 0, -1, -1));

        InvocationResult r = stored(job, 0);
        List<String> keys = r.calls().stream().map(CallOutcome::valueKey).toList();
        assertEquals(null, keys.get(0));
        assertTrue(keys.get(1).startsWith(JobKeys.job(job) + "values/1-"), keys.get(1));
        assertEquals(null, keys.get(2));
        assertTrue(keys.get(3).startsWith(JobKeys.job(job) + "values/3-"), keys.get(3));
        assertEquals(null, keys.get(4));
        assertTrue(storage.get(JobKeys.result(job, 0)).length < ResultValueWriter.INLINE_BUDGET,
                "result object holds only the inline values");

        Kryo kryo = KryoFactory.newKryo(getClass().getClassLoader());
        for (int i : new int[] {1, 3}) {
            try (java.io.InputStream in = storage.open(keys.get(i))) {
                byte[] value = (byte[]) kryo.readClassAndObject(new Input(in, 1 << 16));
                assertTrue(java.util.Arrays.equals(filled(i == 1 ? big : half), value), "value of call " + i);
            }
        }
        assertTrue(java.util.Arrays.equals(filled(20), (byte[]) kryo.readClassAndObject(new Input(r.calls().get(4).valueBytes()))));
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + n);
        return b;
    }
}

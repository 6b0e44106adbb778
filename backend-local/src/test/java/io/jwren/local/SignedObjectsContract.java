package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.Manifest;
import io.jwren.local.signed.Greeter;
import io.jwren.spi.Invocation;
import io.jwren.spi.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Someone who can write the storage prefix, but has not the executor's key, alters each kind of job object on the
 * processes backend (issue 17): every one is refused by the worker or the client, naming the object, before any of it
 * is deserialized or loaded. The storage is the subclass's.
 */
abstract class SignedObjectsContract {
    @TempDir
    Path scratch;

    /** A storage URI of this test's own, under {@code prefix}. */
    abstract String storage(String prefix);

    /** The settings that reach the storage (endpoint, region), if any. */
    abstract Map<String, String> storageSettings();

    /** An executor whose jobs are stored whole, however small: its workers read every job object from storage. */
    Executor executor(String prefix, Attacker attacker) {
        return executor(prefix, attacker, false);
    }

    /** @param inline whether small jobs travel inline, over the worker's stdin, as they do by default */
    Executor executor(String prefix, Attacker attacker, boolean inline) {
        Executor.Builder b = Executor.builder().backend("processes-tampered").storage(storage(prefix))
                .property("jwren.workers", "1").property("jwren.retention", "0s")
                .property("jwren.worker.cache", scratch.resolve("worker-cache").toString());
        if (!inline) b.property("jwren.processes.inline-limit", "0");
        storageSettings().forEach(b::property);
        Executor ex = b.build();
        TamperingProcessesProvider.ATTACKERS.put(ex.id(), attacker);
        return ex;
    }

    /** The attacker of {@link TamperingProcessesProvider}, named here for short. */
    interface Attacker extends TamperingProcessesProvider.Attacker {}

    static void flip(Storage storage, String key, int at) {
        byte[] b = storage.get(key);
        b[Math.min(at, b.length - 1)] ^= 0x01;
        storage.put(key, b);
    }

    /** Every message down the cause chain of the first call's failure. */
    static String failureOf(MapFuture<?> m) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> m.calls().get(0).get(120, TimeUnit.SECONDS));
        StringBuilder said = new StringBuilder();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) said.append(t).append(" | ");
        return said.toString();
    }

    static void assertRefused(String key, String failure) {
        System.out.println("[jwren-test] refused: " + failure);
        assertTrue(failure.contains("object '" + key + "' failed its integrity check"), failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"manifest", "function", "inputs"})
    void aFlippedByteInAJobObjectFailsTheCallsNamingIt(String object) {
        String[] key = new String[1];
        try (Executor ex = executor("flip-" + object, new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                key[0] = JobKeys.job(jobId) + object;
                flip(storage, key[0], storage.get(key[0]).length / 2);
            }
        })) {
            String failure = failureOf(ex.map((Integer x) -> x + 1, List.of(1, 2, 3), MapOptions.builder().chunkSize(3).build()));
            assertRefused(key[0], failure);
        }
    }

    @Test
    void anUnsignedManifestPutInPlaceOfTheSignedOneIsRefused() {
        String[] key = new String[1];
        try (Executor ex = executor("unsigned-manifest", new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                key[0] = JobKeys.manifest(jobId);
                Manifest signed = Manifest.parse(key[0], storage.get(key[0]));
                storage.put(key[0], new Manifest(signed.protocol(), jobId, signed.calls(), signed.chunkSize(), signed.bundles(),
                        signed.minJavaMajor(), signed.callTimeoutMs(), signed.created(), signed.backend(), signed.retry()).toBytes());
            }
        })) {
            String failure = failureOf(ex.map((Integer x) -> x + 1, List.of(1)));
            assertRefused(key[0], failure);
            assertTrue(failure.contains("it is not signed"), failure);
        }
    }

    @Test
    void aSecondMapsWorkersRefuseAFlippedResultOfTheFirstMap() {
        String[] first = new String[1];
        try (Executor ex = executor("chained", new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                if (first[0] == null) first[0] = jobId;
            }

            @Override
            public void resultWritten(Storage storage, String jobId, Invocation inv) {
                if (jobId.equals(first[0])) flip(storage, JobKeys.result(jobId, inv.number()), 10);
            }
        })) {
            MapFuture<Integer> up = ex.map((Integer x) -> x * 2, List.of(1, 2), MapOptions.builder().chunkSize(2).build());
            MapFuture<Integer> down = up.thenMap(y -> y + 1);
            // read by the second map's worker, never by this client: the refusal comes from the worker
            assertRefused(JobKeys.result(up.jobId(), 0), failureOf(down));
        }
    }

    @Test
    void aFlippedByteInAResultObjectFailsItsCallsOnTheClient() {
        try (Executor ex = executor("flip-result", new Attacker() {
            @Override
            public void resultWritten(Storage storage, String jobId, Invocation inv) {
                flip(storage, JobKeys.result(jobId, inv.number()), 10);
            }
        })) {
            MapFuture<Integer> m = ex.map((Integer x) -> x + 1, List.of(1, 2));
            assertRefused(JobKeys.result(m.jobId(), 0), failureOf(m));
        }
    }

    /**
     * The attacker swaps in a validly signed result of an earlier job: after the worker wrote its own, or before (a
     * small job, inline: the worker's conditional put then loses, and it hands nothing back on its channel).
     */
    @ParameterizedTest(name = "before the worker wrote: {0}")
    @ValueSource(booleans = {false, true})
    void aValidResultOfAnotherJobSwappedInIsRefused(boolean beforeTheWorker) throws Exception {
        String[] earlier = new String[1];
        try (Executor ex = executor("other-job-" + beforeTheWorker, new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                if (beforeTheWorker) swapIn(storage, jobId);
            }

            @Override
            public void resultWritten(Storage storage, String jobId, Invocation inv) {
                if (!beforeTheWorker) swapIn(storage, jobId);
            }

            private void swapIn(Storage storage, String jobId) {
                if (earlier[0] != null) storage.put(JobKeys.result(jobId, 0), storage.get(JobKeys.result(earlier[0], 0)));
            }
        }, beforeTheWorker)) {
            MapFuture<Integer> first = ex.map((Integer x) -> x * 100, List.of(1));
            assertEquals(List.of(100), first.get(120, TimeUnit.SECONDS));
            earlier[0] = first.jobId();
            MapFuture<Integer> second = ex.map((Integer x) -> x + 1, List.of(1));
            assertRefused(JobKeys.result(second.jobId(), 0), failureOf(second));
        }
    }

    @Test
    void aFlippedByteInAStoredValueObjectIsRefusedBeforeDecoding() {
        try (Executor ex = executor("flip-value", new Attacker() {
            @Override
            public void resultWritten(Storage storage, String jobId, Invocation inv) {
                for (String key : storage.list(JobKeys.job(jobId) + "values/")) flip(storage, key, 1000);
            }
        })) {
            MapFuture<byte[]> m = ex.map((Integer n) -> new byte[n], List.of(5 << 20));
            String failure = failureOf(m);
            System.out.println("[jwren-test] refused: " + failure);
            assertTrue(failure.contains("object '" + JobKeys.job(m.jobId()) + "values/0-"), failure);
            assertTrue(failure.contains("failed its integrity check"), failure);
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {false, true})
    void aSwappedBundleWhoseStaticInitializerActsNeverRuns(boolean inline) throws Exception {
        Path marker = scratch.resolve("marker");
        String evil = "package io.jwren.local.signed; public final class Greeter {"
                + " static { try { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                + marker.toString().replace("\\", "\\\\") + "\"), \"ran\"); } catch (Exception e) { throw new RuntimeException(e); } }"
                + " public static String greet(int n) { return \"owned\"; } }";
        Path jar = SourceCompiler.jar(SourceCompiler.compile(scratch.resolve("evil"), Map.of("io.jwren.local.signed.Greeter", evil)),
                scratch.resolve("evil.jar"));
        // the payload is live: loaded unchecked, its initializer writes the marker
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class.forName("io.jwren.local.signed.Greeter", true, loader);
        }
        assertTrue(Files.exists(marker));
        Files.delete(marker);

        Storage[] attacked = new Storage[1];
        try (Executor ex = executor("swap-bundle-" + inline, new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                // an inline job's manifest is stored while it runs: every bundle there is swapped
                try {
                    for (String bundle : storage.list("classes/")) storage.put(bundle, Files.readAllBytes(jar));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                attacked[0] = storage;
            }
        }, inline)) {
            MapFuture<String> m = ex.map((Integer n) -> Greeter.greet(n), List.of(1));
            String failure = failureOf(m);
            assertEquals(!inline, attacked[0].exists(JobKeys.function(m.jobId())), "the function is stored unless inline");
            String manifest = JobKeys.manifest(m.jobId());
            assertRefused(Manifest.parse(manifest, attacked[0].get(manifest)).bundles().get(0), failure);
            assertFalse(Files.exists(marker), "the swapped bundle's static initializer ran");
        }
    }

    @Test
    void aSmallJobTravelsInlineAndStoresOnlyItsSignedManifest() throws Exception {
        Storage[] seen = new Storage[1];
        try (Executor ex = executor("inline", new Attacker() {
            @Override
            public void staged(Storage storage, String jobId) {
                seen[0] = storage;
            }
        }, true)) {
            MapFuture<Integer> m = ex.map((Integer x) -> x + 1, List.of(1, 2, 3));
            assertEquals(List.of(2, 3, 4), m.get(120, TimeUnit.SECONDS));
            String job = JobKeys.job(m.jobId());
            assertEquals(List.of(job + "manifest"), seen[0].list(job).stream().filter(k -> !k.startsWith(job + "results/")).toList());
            byte[] stored = seen[0].get(job + "manifest");
            assertTrue(Manifest.carriesSignature(stored), new String(stored, java.nio.charset.StandardCharsets.UTF_8));
            Manifest manifest = Manifest.parse(job + "manifest", stored);
            assertTrue(manifest.signed(), "the stored manifest vouches for the bundles");
            assertFalse(manifest.bundles().isEmpty());
            for (int i = 0; i < manifest.bundles().size(); i++)
                assertEquals(io.jwren.engine.protocol.ObjectSigner.sha256Hex(seen[0].get(manifest.bundles().get(i))),
                        manifest.integrity().bundleHashes().get(i), "the SHA-256 of " + manifest.bundles().get(i));
        }
    }

    @Test
    void aResultHandedBackOnTheWorkersChannelIsCheckedAsAStoredOneIs() {
        byte[][] handed = new byte[1][];
        try (Executor ex = executor("flip-handed-back", new Attacker() {
            @Override
            public byte[] handedBack(byte[] resultObject) {
                if (resultObject == null) return null;
                handed[0] = resultObject.clone();
                resultObject[10] ^= 0x01;
                return resultObject;
            }
        }, true)) {
            MapFuture<Integer> m = ex.map((Integer x) -> x + 1, List.of(1));
            assertRefused(JobKeys.result(m.jobId(), 0), failureOf(m));
            assertTrue(handed[0] != null, "the worker sent its result object back on its DONE line");
        }
    }
}

package io.jwren.engine.worker;

import io.jwren.Config;
import io.jwren.SerializableFunction;
import io.jwren.engine.EngineSettings;
import io.jwren.engine.JobStaging;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run of a worker class archive (AppCDS): started as
 * {@code java -XX:ArchiveClassesAtExit=<archive> -cp <worker class path> io.jwren.engine.worker.ClassArchiveTraining <scratch dir>},
 * it stages a small job in a local directory storage under the scratch directory and runs its one invocation through
 * {@link WorkerMain} ({@code --job ID --invocation 0}), so the classes a worker loads from start to its first result
 * (configuration, storage, Kryo, the closure reader, the call runner, the result codec) are the ones the JVM archives
 * when the worker exits. Workers then start with {@code -XX:SharedArchiveFile=<archive>}.
 *
 * <p>The job is signed, as every executor's job is by default, so the classes that check and sign objects are archived
 * too; the key is a throwaway, handed to the worker as a system property.
 *
 * <p>The job's function ships no classes: it is this class's own, on every worker's class path. Its inputs are of
 * the kinds users map over most (numbers, strings, arrays, lists), so their serializers are archived too. The
 * scratch directory is the caller's to remove.
 */
public final class ClassArchiveTraining {
    private ClassArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClassArchiveTraining <scratch directory>");
            System.exit(2);
        }
        Path scratch = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        String uri = scratch.resolve("storage").toUri().toString();
        String jobId;
        ObjectSigner signer = ObjectSigner.random();
        try (Storage storage = Providers.storage(uri, Config.resolve(Map.of("jwren.storage", uri)))) {
            jobId = stage(storage, signer);
        }
        System.setProperty("jwren.storage", uri);
        System.setProperty(EngineSettings.SIGNING_KEY, signer.keyBase64());
        System.setProperty("jwren.worker.cache", scratch.resolve("bundles").toString());
        // No --worker-id: a worker run from a container or the command line makes its own, so that path is archived too.
        WorkerMain.main(new String[] {"--job", jobId, "--invocation", "0"});
    }

    /**
     * The same job run in this JVM by an {@link InvocationRunner}, without {@link WorkerMain} and without exiting: for
     * a worker that primes itself before its state is kept (a Lambda SnapStart snapshot).
     *
     * @param scratch an empty directory for the job's storage and bundle cache, the caller's to remove
     * @return the invocation's result, as written to that storage
     */
    public static InvocationResult runOnce(Path scratch) {
        String uri = scratch.toAbsolutePath().resolve("storage").toUri().toString();
        try (Storage storage = Providers.storage(uri, Config.resolve(Map.of("jwren.storage", uri)))) {
            ObjectSigner signer = ObjectSigner.random();
            InvocationRunner runner = InvocationRunner.create(storage, "class-training", scratch.resolve("bundles"))
                    .signedWith(signer);
            return runner.run(runner.invocation(stage(storage, signer), 0, 0));
        }
    }

    /** Stages the job, signed: one invocation over inputs of the kinds users map over most. */
    private static String stage(Storage storage, ObjectSigner signer) {
        List<Object> inputs = List.of(1, 2L, 3.0, "four", new double[] {5}, new int[] {6}, List.of(7, 8), new byte[9]);
        return JobStaging.stage(storage, describe(), inputs, inputs.size(), false, signer);
    }

    /** The training job's function: a little work on each input, so the call path runs as it does for users. */
    private static SerializableFunction<Object, String> describe() {
        return x -> x.getClass().getSimpleName() + ":" + x.hashCode();
    }
}

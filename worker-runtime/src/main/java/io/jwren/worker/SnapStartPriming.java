package io.jwren.worker;

import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.worker.ClassArchiveTraining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Primes a Lambda SnapStart version before Lambda snapshots it: Lambda initialises a published version with SnapStart
 * once (the handler class's static initialisation), snapshots that JVM and resumes new execution environments from the
 * snapshot. Run during that initialisation, this priming runs a small job through the worker's own path (storage in a
 * scratch directory under {@code /tmp}, Kryo, the closure reader, the call runner, the result codec), so the snapshot
 * holds those classes loaded and initialised and the first real invocation of a resumed environment does not load them.
 * It touches no S3 and no network; a failure is printed and ignored, since the worker runs without priming as well.
 */
final class SnapStartPriming {
    /** Set by Lambda in a function's environment while it initialises a SnapStart version. */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    private SnapStartPriming() {}

    /** Primes when this JVM is being initialised for a SnapStart snapshot. */
    static void primeIfSnapStart() {
        if ("snap-start".equals(System.getenv(INITIALIZATION_TYPE))) {
            try {
                prime();
            } catch (RuntimeException | Error e) {
                System.err.println("jwren worker: SnapStart priming failed, the worker runs without it: " + e);
            }
        }
    }

    /** Runs the priming job in a scratch directory, removed afterwards; returns its result. */
    static InvocationResult prime() {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("jwren-priming-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch directory for SnapStart priming", e);
        }
        try {
            return ClassArchiveTraining.runOnce(scratch);
        } finally {
            try (Stream<Path> paths = Files.walk(scratch)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                System.err.println("jwren worker: cannot remove " + scratch + ": " + e);
            }
        }
    }
}

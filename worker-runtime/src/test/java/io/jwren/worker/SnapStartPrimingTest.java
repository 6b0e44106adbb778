package io.jwren.worker;

import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The priming a SnapStart version runs before its snapshot: a whole invocation in this JVM, and nothing left behind. */
class SnapStartPrimingTest {
    @Test
    void runsTheTrainingJobsInvocationAndRemovesItsScratchDirectory() throws IOException {
        List<Path> before = scratchDirectories();
        InvocationResult result = SnapStartPriming.prime();
        assertEquals(8, result.calls().size(), result.toString());
        assertTrue(result.calls().stream().allMatch(CallOutcome::ok), result.toString());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), result.calls().stream().map(CallOutcome::index).toList());
        assertEquals("class-training", result.workerId());
        assertEquals(before, scratchDirectories());
    }

    private static List<Path> scratchDirectories() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("jwren-priming-")).sorted().toList();
        }
    }
}

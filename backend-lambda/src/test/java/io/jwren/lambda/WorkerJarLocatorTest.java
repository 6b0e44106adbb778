package io.jwren.lambda;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkerJarLocatorTest {
    @Test
    void besideTheProgramThenTheMavenRepositoryThenACheckout() {
        Path dist = Path.of("/opt/jwren").toAbsolutePath();
        String classPath = dist.resolve("jwren.jar") + File.pathSeparator + dist.resolve("lib/backend-lambda-1.2.jar")
                + File.pathSeparator + dist.resolve("classes");
        Path repo = Path.of("/home/u/.m2/repository").toAbsolutePath();

        List<Path> candidates = WorkerJarLocator.candidates(classPath, repo, "1.2");

        assertEquals(List.of(
                dist.resolve("jwren-worker.jar"),
                dist.resolve("lib/jwren-worker.jar"),
                repo.resolve("io/jwren/worker-runtime/1.2/worker-runtime-1.2-worker.jar"),
                Path.of("worker-runtime/target/jwren-worker.jar").toAbsolutePath()), candidates);
    }
}

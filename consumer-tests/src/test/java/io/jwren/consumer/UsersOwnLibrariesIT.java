package io.jwren.consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An application with its own Kryo 4.0.3 and ASM 7.0, depending on backend-local only, built against the installed
 * artifacts: its dependencies hold no cloud SDK and none of jwren's own serialization libraries, and its functions,
 * which use its Kryo and ASM, map on threads and on worker JVMs.
 */
class UsersOwnLibrariesIT {
    static final String EXPECTED = "mapped [1/kryo4/asm7/com/esotericsoftware/kryo/Kryo, 2/kryo4/asm7/com/esotericsoftware/kryo/Kryo, "
            + "3/kryo4/asm7/com/esotericsoftware/kryo/Kryo]";
    static Path app;

    @BeforeAll
    static void buildTheApp() throws Exception {
        app = ConsumerAppsIT.copyApp(Path.of(System.getProperty("jwren.test.apps"), "own-libraries-app"), "own-libraries-app");
        ConsumerAppsIT.maven(app, "package", "dependency:list", "-DoutputFile=dependencies.txt", "-DincludeScope=runtime");
    }

    @Test
    void aThreadsAndWorkerJvmsAppPullsNoCloudSdkAndNoSecondKryoOrAsm() throws Exception {
        List<String> deps = Files.readAllLines(app.resolve("dependencies.txt")).stream()
                .map(String::trim).filter(l -> l.split(":").length >= 5).toList();
        System.err.println("[jwren-test] own-libraries-app runtime dependencies:\n  " + String.join("\n  ", deps));
        for (String forbidden : List.of("software.amazon.awssdk:", "io.netty:", "org.apache.httpcomponents:",
                "com.amazonaws:", "io.fabric8:"))
            assertTrue(deps.stream().noneMatch(d -> d.startsWith(forbidden)), forbidden + " reached a threads-only app: " + deps);
        assertTrue(deps.stream().anyMatch(d -> d.startsWith("com.esotericsoftware:kryo:jar:4.0.3:")), deps.toString());
        assertTrue(deps.stream().anyMatch(d -> d.startsWith("org.ow2.asm:asm:jar:7.0:")), deps.toString());
        // Kryo 4 brings its own Objenesis 2, MinLog and ReflectASM; jwren's Kryo 5, Objenesis 3 and ASM 9 stay inside its jar
        assertTrue(deps.stream().noneMatch(d -> d.startsWith("org.ow2.asm:asm-commons:") || d.startsWith("org.ow2.asm:asm-tree:")
                || d.startsWith("org.objenesis:objenesis:jar:3.") || d.startsWith("com.esotericsoftware:kryo:jar:5.")),
                "jwren's own relocated libraries leaked: " + deps);
        assertTrue(deps.stream().anyMatch(d -> d.startsWith("io.jwren:executor-engine:")), deps.toString());
    }

    @Test
    void itsFunctionsUseItsOwnKryoAndAsmOnThreads() throws Exception {
        run("threads");
    }

    @Test
    void itsFunctionsUseItsOwnKryoAndAsmOnWorkerJvms() throws Exception {
        run("processes");
    }

    private static void run(String backend) throws Exception {
        String cp;
        try (Stream<Path> jars = Files.list(app.resolve("target/lib"))) {
            cp = app.resolve("target/classes") + File.pathSeparator
                    + jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        }
        Path log = app.resolve(backend + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djwren.backend=" + backend, "-Djwren.workers=2", "-Djwren.progress=never",
                "-Djwren.storage=" + app.resolve("store-" + backend).toUri(), "-cp", cp, "demo.OwnLibrariesApp")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(backend + ": still running after 5 minutes; output:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> backend + " exited " + p.exitValue() + ":\n" + out);
        assertTrue(out.lines().anyMatch("client 0/kryo4/asm7/com/esotericsoftware/kryo/Kryo"::equals), out);
        assertTrue(out.lines().anyMatch(EXPECTED::equals), () -> backend + ": no '" + EXPECTED + "' in\n" + out);
    }
}

package io.jwren.examples;

import io.jwren.engine.closure.RuntimeClasspath;
import io.jwren.local.LocalBackendProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notebook scripts under examples/jshell, run by the real jshell on the jwren runtime alone. */
class JShellScriptsTest {
    private static final Pattern LINE = Pattern.compile("(threads|processes) +pi ~ (\\d\\.\\d+) \\((\\d+) of 20000000 points inside\\)");

    @TempDir
    Path dir;

    @Test
    void montecarloRunsOnThreadsAndOnWorkerJvmsWithTheSameCount() throws Exception {
        String classpath = RuntimeClasspath.forWorkerJvm() + File.pathSeparator
                + Path.of(LocalBackendProviders.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path log = dir.resolve("jshell.log");
        Process p = new ProcessBuilder(jshell.toString(), "--class-path", classpath,
                "-R-Djwren.storage=" + dir.resolve("store").toUri(), "-R-Djwren.workers=2",
                "jshell/jwren.jsh", "jshell/montecarlo.jsh")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(3, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(exited, "jshell did not finish:\n" + out);

        Matcher m = LINE.matcher(out);
        List<String> backends = new java.util.ArrayList<>();
        List<String> counts = new java.util.ArrayList<>();
        while (m.find()) {
            backends.add(m.group(1));
            counts.add(m.group(3));
            assertEquals(Math.PI, Double.parseDouble(m.group(2)), 0.005, out);
        }
        assertEquals(List.of("threads", "processes"), backends, out);
        assertEquals(counts.get(0), counts.get(1), "same seed, same points on both backends:\n" + out);
    }
}

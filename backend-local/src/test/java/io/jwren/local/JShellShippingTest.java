package io.jwren.local;

import io.jwren.engine.closure.RuntimeClasspath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the real {@code jshell} tool: functions, records and top-level variables defined in JShell
 * exist only in JShell's class loader and static fields, yet reach the worker JVMs of the processes
 * backend. A redefined method and a reassigned variable take effect in the next map.
 */
class JShellShippingTest {
    @TempDir
    Path dir;

    @Test
    void jshellDefinitionsAndTopLevelVariablesReachWorkerJvms() throws Exception {
        Path script = dir.resolve("montecarlo.jsh");
        Files.writeString(script, String.join("\n",
                "import io.jwren.Executor;", // io.jwren.* would clash with the java.util.concurrent.* JShell imports
                "import java.util.List;",
                "int k = 7;",
                "Executor ex = Executor.builder().backend(\"processes\").storage(\"" + dir.resolve("store").toUri()
                        + "\").property(\"jwren.workers\", \"1\").build();",
                "System.out.println(\"TIMES-K \" + ex.map((Integer i) -> i * k, List.of(1, 2, 3)).get());",
                "record Pt(int x, int y) { int sum() { return x + y; } }",
                "int twice(int x) { return 2 * x; }",
                "System.out.println(\"JSHELL-TYPES \" + ex.map((Integer i) -> twice(new Pt(i, k).sum()), List.of(1, 2)).get());",
                "k = 100;",
                "int twice(int x) { return 3 * x; }",
                "System.out.println(\"AFTER-EDIT \" + ex.map((Integer i) -> twice(i * k), List.of(1)).get());",
                "ex.close();",
                "/exit", ""));
        String classpath = RuntimeClasspath.forWorkerJvm() + File.pathSeparator
                + Path.of(ProcessesBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path log = dir.resolve("jshell.log");
        Process p = new ProcessBuilder(jshell.toString(), "--class-path", classpath, script.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(3, TimeUnit.MINUTES);
        if (!exited) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(exited, "jshell did not finish:\n" + out);
        List<String> expected = List.of("TIMES-K [7, 14, 21]", "JSHELL-TYPES [16, 18]", "AFTER-EDIT [300]");
        for (String line : expected) assertTrue(out.contains(line), "missing '" + line + "' in jshell output:\n" + out);
    }
}

package io.jwren.examples;

import io.jwren.testing.PythonVenv;
import io.jwren.testing.ServerProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/notebooks/montecarlo.ipynb executed by nbclient ({@code jupyter execute}) on the JJava kernel, both from
 * the pinned venv {@code io/jwren/testing/python/jupyter.txt}; then every code cell's output is checked. Runs in
 * the integration-test phase (failsafe), because the notebook adds the packaged {@code target/jwren-examples.jar}
 * exactly as a user's would.
 */
class MonteCarloNotebookTest {
    private static final Pattern ESTIMATE = Pattern.compile("(threads|processes) +pi ~ (\\d\\.\\d+) \\((\\d+) of 20000000 points inside\\)");
    private static final Pattern PIDS = Pattern.compile("kernel pid (\\d+), worker pids \\[([\\d, ]+)]");

    @TempDir
    Path dir;

    @Test
    void montecarloRunsOnThreadsAndOnWorkerJvmsAndTopLevelVariablesReachTheWorkers() throws Exception {
        Path notebook = Path.of("notebooks/montecarlo.ipynb").toAbsolutePath();
        assertTrue(Files.isRegularFile(Path.of("target/jwren-examples.jar")),
                "the notebook adds target/jwren-examples.jar: run this test after the package phase");
        Map<String, CellOutput> cells = execute(notebook);

        for (Map.Entry<String, CellOutput> cell : cells.entrySet())
            assertEquals("", cell.getValue().error(), "cell '" + cell.getKey() + "' failed; its output:\n" + cell.getValue().text());
        assertEquals(List.of("add-jars", "imports", "definitions", "on-threads", "on-processes", "worker-pids", "top-level-k7",
                "top-level-k100", "close"), List.copyOf(cells.keySet()), "the notebook's code cells");

        String threads = estimate(cells.get("on-threads"), "threads");
        String processes = estimate(cells.get("on-processes"), "processes");
        assertEquals(threads, processes, "same seed, same points on both backends");

        Matcher pids = PIDS.matcher(cells.get("worker-pids").text());
        assertTrue(pids.find(), cells.get("worker-pids").text());
        Set<String> workers = new TreeSet<>(List.of(pids.group(2).split(", ")));
        assertEquals(2, workers.size(), "JWREN_WORKERS=2 worker JVMs ran the calls: " + pids.group());
        assertFalse(workers.contains(pids.group(1)), "no call ran in the kernel's JVM: " + pids.group());

        assertEquals("k = 7: [7, 14, 21]", cells.get("top-level-k7").text().strip());
        assertEquals("k = 100: [100, 200, 300]", cells.get("top-level-k100").text().strip(),
                "the reassigned top-level variable reaches the warm workers");
    }

    /** Runs the notebook headless and returns each code cell's printed text and error by cell id, in order. */
    private Map<String, CellOutput> execute(Path notebook) throws Exception {
        PythonVenv jupyter = PythonVenv.of("jupyter");
        Path executed = dir.resolve("executed.ipynb");
        Map<String, String> env = new HashMap<>(jupyter.environment());
        // kernel.json starts "java" from PATH: make it this JDK. Jupyter's own directories go to the temp dir, so a
        // kernel named "java" in the user's ~/.local/share/jupyter cannot stand in for the venv's.
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.get("PATH"));
        env.put("JUPYTER_DATA_DIR", dir.resolve("jupyter-data").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir.resolve("jupyter-runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", dir.resolve("jupyter-config").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        // what a user sets in the environment that starts Jupyter (docs/NOTEBOOKS.md)
        env.put("JWREN_STORAGE", dir.resolve("store").toUri().toString());
        env.put("JWREN_WORKERS", "2");
        Path log = dir.resolve("jupyter-execute.log");
        ServerProcesses.run(List.of(jupyter.bin("jupyter").toString(), "execute", "--allow-errors", "--timeout=600",
                "--startup_timeout=120", "--output=" + executed, notebook.toString()), null, log, Duration.ofMinutes(10), env);

        Map<String, CellOutput> cells = new LinkedHashMap<>();
        JsonNode nb = JsonMapper.builder().build().readTree(Files.readString(executed));
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asString().equals("code")) continue;
            StringBuilder text = new StringBuilder();
            StringBuilder error = new StringBuilder();
            for (JsonNode out : cell.get("outputs")) {
                switch (out.get("output_type").asString()) {
                    case "stream" -> text.append(joined(out.get("text")));
                    case "error" -> error.append(out.get("ename").asString()).append(": ").append(out.get("evalue").asString());
                    default -> { } // display data and expression values: not what this notebook prints
                }
            }
            cells.put(cell.get("id").asString(), new CellOutput(text.toString(), error.toString()));
        }
        return cells;
    }

    /** Checks a cell's estimate of pi and returns its count of points inside. */
    private static String estimate(CellOutput cell, String backend) {
        Matcher m = ESTIMATE.matcher(cell.text());
        assertTrue(m.find(), "no estimate printed by the " + backend + " cell:\n" + cell.text());
        assertEquals(backend, m.group(1));
        assertEquals(Math.PI, Double.parseDouble(m.group(2)), 0.005, cell.text());
        return m.group(3);
    }

    /** nbformat keeps multi-line text either as one string or as a list of lines. */
    private static String joined(JsonNode text) {
        if (!text.isArray()) return text.asString();
        StringBuilder sb = new StringBuilder();
        for (JsonNode line : text) sb.append(line.asString());
        return sb.toString();
    }

    private record CellOutput(String text, String error) {}
}

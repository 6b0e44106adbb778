package io.jwren.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** One in-process run of the examples' command line: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JWrenExamples.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    /** For assertion messages: everything the run printed. */
    String transcript() {
        return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }

    /** Runs {@code run} with {@code properties} set as system properties, then puts the old values back. */
    static CliRun withSystemProperties(Map<String, String> properties, java.util.function.Supplier<CliRun> run) {
        Properties before = (Properties) System.getProperties().clone();
        try {
            properties.forEach(System::setProperty);
            return run.get();
        } finally {
            System.setProperties(before);
        }
    }
}

package io.jwren.cli;

import io.jwren.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jwren config [KEY...]}: what each jwren.* key resolves to here, and which layer set it. */
@Command(name = "config", description = "Show what each jwren.* key resolves to, and where it comes from.",
        mixinStandardHelpOptions = true)
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    StorageOptions options;

    @Parameters(paramLabel = "KEY", arity = "0..*", description = "Only these keys (default: every key set anywhere).")
    List<String> keys = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config = options.config();
        PrintWriter out = spec.commandLine().getOut();
        List<String> shown = keys.isEmpty() ? new ArrayList<>(config.asMap().keySet()) : keys;
        int width = shown.stream().mapToInt(String::length).max().orElse(3);
        int valueWidth = shown.stream().mapToInt(k -> config.get(k, "-").length()).max().orElse(1);
        for (String key : shown) {
            String value = config.get(key);
            out.printf("%-" + width + "s  %-" + valueWidth + "s  (%s)%n", key, value == null ? "-" : value,
                    value == null ? "not set" : config.source(key));
        }
        return 0;
    }
}

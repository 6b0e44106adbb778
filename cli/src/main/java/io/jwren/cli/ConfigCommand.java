package io.jwren.cli;

import io.jwren.Config;
import io.jwren.spi.Setting;
import io.jwren.spi.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code jwren config [KEY...]}: every jwren.* setting the class path declares, its value here, the layer that set it
 * and what it means; then a warning for each key set somewhere that no module declares, with the nearest one.
 */
@Command(name = "config", description = "Show every jwren.* setting: its value here, where it comes from, and what it means.",
        mixinStandardHelpOptions = true)
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    StorageOptions options;

    @Parameters(paramLabel = "KEY", arity = "0..*", description = "Only these keys (default: every declared key and every key set anywhere).")
    List<String> keys = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config = options.config();
        PrintWriter out = spec.commandLine().getOut();
        TreeSet<String> shown = new TreeSet<>(keys);
        if (keys.isEmpty()) {
            shown.addAll(Settings.declared().keySet());
            shown.addAll(config.asMap().keySet());
        }
        List<String[]> rows = new ArrayList<>();
        for (String key : shown) {
            String value = config.get(key);
            if (value != null && Settings.isSecret(key)) value = "(secret)";
            Setting declared = Settings.find(key);
            rows.add(new String[] {key, value == null ? "-" : value, value == null ? "not set" : config.source(key),
                    declared == null ? "(unknown key)" : declared.meaning()});
        }
        int[] width = new int[3];
        for (String[] r : rows) for (int i = 0; i < 3; i++) width[i] = Math.max(width[i], r[i].length() + (i == 2 ? 2 : 0));
        for (String[] r : rows)
            out.printf("%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n", r[0], r[1], "(" + r[2] + ")", r[3]);
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : Settings.unknownKeys(config)) err.println("warning: " + warning);
        err.flush();
        return 0;
    }
}

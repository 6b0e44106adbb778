package io.jwren.local;

import io.jwren.Config;
import io.jwren.spi.Setting;
import io.jwren.spi.Setting.Kind;
import io.jwren.spi.SettingsProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The jwren.processes.* settings: how the processes backend starts its worker JVMs. */
public final class ProcessesSettings implements SettingsProvider {
    static final long DEFAULT_INLINE_LIMIT = 256 * 1024;
    static final String DEFAULT_JVM_ARGS = "-Xshare:auto";

    /** The JVM options of every worker JVM under {@code config}: {@code jwren.processes.jvm-args} and the heap. */
    public static List<String> workerJvmOptions(Config config) {
        List<String> options = new ArrayList<>();
        String jvmArgs = config.get("jwren.processes.jvm-args", DEFAULT_JVM_ARGS);
        if (!jvmArgs.isBlank()) options.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        options.add("-Xmx" + config.getInt("jwren.processes.memory", config.getInt("jwren.memory", 1024)) + "m");
        return options;
    }

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("jwren.processes.classpath", Kind.TEXT, null,
                        "class path of a worker JVM (default: the jars this JVM loaded jwren's runtime from)"),
                Setting.of("jwren.processes.java-home", Kind.PATH, null, "the JDK worker JVMs run on (default: this JVM's)"),
                Setting.of("jwren.processes.jvm-args", Kind.TEXT, DEFAULT_JVM_ARGS, "options for each worker JVM"),
                Setting.of("jwren.processes.memory", Kind.NUMBER, null, "heap of a worker JVM in MiB (default: jwren.memory)"),
                Setting.of("jwren.processes.inline-limit", Kind.NUMBER, Long.toString(DEFAULT_INLINE_LIMIT),
                        "largest job (function and inputs, in bytes) sent to the worker JVMs on their stdin instead of through "
                                + "storage; 0 sends every job through storage"),
                Setting.of("jwren.processes.class-archive", Kind.BOOLEAN, "true", "start worker JVMs with an AppCDS archive "
                        + "of the worker's classes, built once per class path, JDK and JVM options (false: without)"),
                Setting.of("jwren.processes.class-archive-dir", Kind.PATH, null,
                        "where those archives are kept (default: ~/.cache/jwren/class-archives)"));
    }
}

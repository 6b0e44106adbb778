package io.jwren.cli;

import io.jwren.Config;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.spi.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code jwren clean}: delete jobs (manifest, function, inputs, results) from storage. Running jobs are
 * kept unless {@code --include-running}; class bundles stay, since later jobs reuse them.
 */
@Command(name = "clean", description = "Delete finished jobs from storage (class bundles are kept for reuse).",
        mixinStandardHelpOptions = true)
final class CleanCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Only jobs created longer ago than this, e.g. 30m, 2h, 7d (default: all).")
    String olderThan;

    @Option(names = "--include-running", description = "Also delete jobs that have not finished.")
    boolean includeRunning;

    @Option(names = "--dry-run", description = "Say what would be deleted, delete nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Duration minAge = olderThan == null ? Duration.ZERO : parseAge(olderThan);
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        int deleted = 0;
        int kept = 0;
        try (Storage store = storage.open()) {
            for (String id : JobRecord.ids(store)) {
                JobRecord job = JobRecord.read(store, id, storage.signer());
                boolean oldEnough = Duration.between(job.manifest().created(), now).compareTo(minAge) >= 0;
                boolean finished = !job.state().equals("running");
                if (!oldEnough || !finished && !includeRunning) {
                    kept++;
                    continue;
                }
                if (!dryRun) store.deletePrefix(JobKeys.job(id));
                out.println((dryRun ? "would delete " : "deleted ") + id + " (" + job.state() + ", "
                        + JobsCommand.age(Duration.between(job.manifest().created(), now)) + " old)");
                deleted++;
            }
            out.println((dryRun ? "would delete " : "deleted ") + deleted + " job(s), kept " + kept + " in " + store.uri());
        }
        return 0;
    }

    private Duration parseAge(String text) {
        try {
            return Config.parseDuration(text);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--older-than must be an age like 30m, 2h or 7d, was '" + text + "'");
        }
    }
}

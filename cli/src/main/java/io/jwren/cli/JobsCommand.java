package io.jwren.cli;

import io.jwren.spi.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jwren jobs}: one line per job in storage, oldest first, like {@code ps}. */
@Command(name = "jobs", description = "List the jobs in storage: id, backend, state, calls done/failed, cold starts, "
        + "CPU share of the calls' run time, age.",
        mixinStandardHelpOptions = true)
final class JobsCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Storage store = storage.open()) {
            List<JobRecord> jobs = new ArrayList<>();
            for (String id : JobRecord.ids(store)) jobs.add(JobRecord.read(store, id, storage.signer()));
            jobs.sort(Comparator.comparing(j -> j.manifest().created()));
            String format = "%-20s %-10s %-9s %8s %8s %8s %6s %5s %6s%n";
            out.printf(format, "JOB", "BACKEND", "STATE", "CALLS", "DONE", "FAILED", "COLD", "CPU", "AGE");
            Instant now = Instant.now();
            for (JobRecord j : jobs) {
                out.printf(format, j.manifest().jobId(), j.manifest().backend(), j.state(), j.manifest().calls(),
                        j.callsDone(), j.callsFailed(), j.coldStarts(), percent(j.cpuShare()),
                        age(Duration.between(j.manifest().created(), now)));
            }
            if (jobs.isEmpty()) out.println("(no jobs in " + store.uri() + ")");
        }
        return 0;
    }

    /** A share as a whole percentage; "-" when not measured. */
    static String percent(double share) {
        return share < 0 ? "-" : Math.round(share * 100) + "%";
    }

    /** Ages as ps shows them: the largest unit that fits. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) return s + "s";
        if (s < 7200) return s / 60 + "m";
        if (s < 172800) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}

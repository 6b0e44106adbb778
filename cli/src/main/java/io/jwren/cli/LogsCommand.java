package io.jwren.cli;

import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.spi.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jwren logs JOB [CALL]}: what the calls printed on their workers (the tail each result object
 * carries), per invocation; with CALL, that call's invocation and the call's error, if it failed.
 */
@Command(name = "logs", description = "Show what a job's calls printed on their workers, and their errors.",
        mixinStandardHelpOptions = true)
final class LogsCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id (see 'jwren jobs').")
    String jobId;

    @Parameters(index = "1", paramLabel = "CALL", arity = "0..1", description = "Only this call (its index in the map).")
    Integer call;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Storage store = storage.open()) {
            if (!JobRecord.ids(store).contains(jobId))
                throw new ParameterException(spec.commandLine(), "no job '" + jobId + "' in " + store.uri());
            JobRecord job = JobRecord.read(store, jobId, storage.signer());
            if (call != null) {
                if (call < 0 || call >= job.manifest().calls())
                    throw new ParameterException(spec.commandLine(), "job " + jobId + " has calls 0.." + (job.manifest().calls() - 1));
                InvocationResult r = job.resultOf(call);
                if (r == null) {
                    out.println("call " + call + " of " + jobId + " has no result yet");
                    return 0;
                }
                print(out, r, call);
                return 0;
            }
            List<InvocationResult> results = job.results().stream()
                    .sorted(Comparator.comparingInt(InvocationResult::invocation)).toList();
            for (InvocationResult r : results) print(out, r, null);
            if (results.isEmpty()) out.println("job " + jobId + " has no results yet");
        }
        return 0;
    }

    private static void print(PrintWriter out, InvocationResult r, Integer onlyCall) {
        List<CallOutcome> calls = r.calls();
        out.printf("== invocation %d (calls %d-%d), attempt %d, worker %s%n", r.invocation(),
                calls.isEmpty() ? -1 : calls.get(0).index(), calls.isEmpty() ? -1 : calls.get(calls.size() - 1).index(),
                r.attempt(), r.workerId());
        out.print(r.logTail().isEmpty() || r.logTail().endsWith("\n") ? r.logTail() : r.logTail() + "\n");
        for (CallOutcome c : calls) {
            if (c.ok() || onlyCall != null && c.index() != onlyCall) continue;
            out.printf("-- call %d failed after %d ms:%n%s", c.index(), c.endMs() - c.startMs(),
                    c.error().printed() == null ? c.error().className() + ": " + c.error().message() + "\n" : c.error().printed());
        }
    }
}

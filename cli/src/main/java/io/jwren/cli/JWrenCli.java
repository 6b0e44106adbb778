package io.jwren.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code jwren} command: look at and tidy the jobs in a storage, and see the configuration.
 * {@link #run} returns the exit code instead of exiting, so tests drive it in-process.
 */
@Command(name = "jwren",
        description = "Inspect and clean jwren jobs in storage; show the resolved configuration; deploy workers.",
        mixinStandardHelpOptions = true,
        version = "jwren 0.1.0",
        subcommands = {JobsCommand.class, LogsCommand.class, CleanCommand.class, ConfigCommand.class, DeployCommand.class})
public final class JWrenCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** @return 0 on success, 2 for bad arguments (with a usage message on {@code err}), 1 when the command failed */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new JWrenCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, badArgs) -> {
            // Always the problem, any suggestion, then the usage of the (sub)command that was misused.
            PrintWriter to = e.getCommandLine().getErr();
            to.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, to);
            e.getCommandLine().usage(to);
            to.flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("jwren: " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

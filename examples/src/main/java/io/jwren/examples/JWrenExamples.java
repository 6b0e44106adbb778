package io.jwren.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code jwren-examples.jar}: dispatches to the example commands.
 * {@link #run} returns the exit code instead of exiting, so tests can drive it in-process.
 */
@Command(name = "jwren-examples",
        description = "Runnable jwren examples.",
        mixinStandardHelpOptions = true,
        version = "jwren examples 0.1.0",
        subcommands = {MonteCarloCommand.class, MatvecCommand.class, WordCountCommand.class, BenchCommand.class})
public final class JWrenExamples implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /**
     * Parses {@code args} and runs the chosen command.
     *
     * @return 0 on success, 2 for bad arguments (after printing a usage message to {@code err}),
     *         1 when the command itself failed
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new JWrenExamples());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A failed run is not a usage error: say what failed, without the usage text.
            commandLine.getErr().println("error: " + describe(e));
            commandLine.getErr().flush();
            return commandLine.getCommandSpec().exitCodeOnExecutionException();
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The message chain, outermost first: a remote failure's cause is usually the informative part.
     * Causes whose text the message above already quotes are left out.
     */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e));
        String shown = sb.toString();
        for (Throwable c = e.getCause(); c != null && sb.length() < 4000; c = c.getCause()) {
            String text = String.valueOf(c);
            if (!shown.contains(text)) sb.append("\n  caused by: ").append(text);
            shown = text;
            if (c.getCause() == c) break;
        }
        return sb.toString();
    }

    /** Without a command there is nothing to do: that is a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

package io.jwren.cli;

import io.jwren.lambda.DeployMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jwren deploy BACKEND ...}: deploys the worker for the backends that need one. Each backend's own
 * deployer parses its options, so that the command line and {@code DeployMain} cannot drift apart.
 */
@Command(name = "deploy", description = "Deploy the worker where a backend needs one (lambda: the worker function).",
        mixinStandardHelpOptions = true, subcommands = DeployCommand.Lambda.class)
final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing backend: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code jwren deploy lambda --function NAME --role ARN --storage s3://bucket/prefix [...]}. */
    @Command(name = "lambda", description = {
            "Create or update the AWS Lambda worker function from the shaded worker jar, wait until it is ready, "
                    + "and print the IAM policies the function and the client need.",
            DeployMain.USAGE,
            "Each option falls back to its jwren.lambda.* key; credentials come from the AWS SDK's default chain."})
    static final class Lambda implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return DeployMain.run(args.toArray(String[]::new), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}

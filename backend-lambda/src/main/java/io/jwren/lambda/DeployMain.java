package io.jwren.lambda;

import io.jwren.Config;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deploys the worker function from the command line and prints the IAM policies it and the client need:
 * <pre>
 * java -cp backend-lambda.jar:... io.jwren.lambda.DeployMain --function jwren-worker \
 *      --role arn:aws:iam::123456789012:role/jwren-worker --storage s3://my-bucket/jwren [options]
 * </pre>
 * Options (each falls back to the {@code jwren.*} key in brackets): {@code --jar PATH} [jwren.lambda.jar]
 * (else {@code jwren-worker.jar} beside the program's jars, then {@code io.jwren:worker-runtime:<version>:jar:worker}
 * in the local Maven repository, then a checkout's {@code worker-runtime/target/jwren-worker.jar}), {@code --memory MiB} [jwren.lambda.memory, 1769],
 * {@code --timeout SECONDS} [jwren.lambda.timeout, 900], {@code --architecture x86_64|arm64}
 * [jwren.lambda.architecture], {@code --runtime java17|java21} [jwren.lambda.runtime], {@code --region}
 * [jwren.lambda.region], {@code --endpoint URL} [jwren.lambda.endpoint], {@code --env NAME=VALUE}
 * (repeatable), {@code --code-s3 s3://bucket/key} (for a jar over 50 MB), {@code --snap-start}
 * [jwren.lambda.snap-start] (SnapStart on; publish a version and point the alias {@code snap-start} at it),
 * {@code --policies-only} (print the policies, call nothing). Credentials come from the AWS SDK's default chain.
 */
public final class DeployMain {
    private DeployMain() {}

    /** Parsed command line. */
    record Args(DeploySpec spec, URI storage, String region, URI endpoint, boolean policiesOnly) {}

    /** The options, for a usage message. */
    public static final String USAGE = "usage: deploy --function NAME --role ARN --storage s3://bucket/prefix [--jar PATH] "
            + "[--memory MiB] [--timeout S] [--architecture x86_64|arm64] [--runtime java17|java21] [--region R] "
            + "[--endpoint URL] [--env NAME=VALUE]... [--code-s3 s3://bucket/key] [--snap-start] [--policies-only]";

    public static void main(String[] argv) {
        int code = run(argv, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0) System.exit(code);
    }

    /**
     * Prints the IAM policies, then deploys unless {@code --policies-only}.
     *
     * @return 0 when deployed (or only the policies were asked for), 2 for bad arguments (with the usage on
     *         {@code err}), 1 when AWS refused or the function did not become ready
     */
    public static int run(String[] argv, PrintWriter out, PrintWriter err) {
        if (java.util.Arrays.asList(argv).contains("--help") || java.util.Arrays.asList(argv).contains("-h")) {
            out.println(USAGE);
            out.flush();
            return 0;
        }
        Config config = Config.resolve(Map.of());
        Args args;
        try {
            args = parse(argv, config);
        } catch (IllegalArgumentException e) {
            err.println("deploy: " + e.getMessage());
            err.println(USAGE);
            err.flush();
            return 2;
        }
        out.println(policies(args));
        out.flush();
        if (args.policiesOnly()) return 0;
        try (LambdaClient lambda = LambdaClients.sync(args.region(), args.endpoint())) {
            FunctionConfiguration fn = new LambdaDeployer(lambda, config).deploy(args.spec());
            out.println("deployed " + String.join(", ", LambdaDeployer.describe(args.spec())) + ": " + fn.functionArn()
                    + " state " + fn.stateAsString() + ", last update " + fn.lastUpdateStatusAsString());
            String qualifier = "";
            if (args.spec().snapStart()) {
                out.println("published version " + fn.version() + " with SnapStart (optimization "
                        + (fn.snapStart() == null ? "unknown" : fn.snapStart().optimizationStatusAsString()) + "); alias "
                        + LambdaDeployer.SNAP_START_ALIAS + " -> " + fn.version());
                qualifier = " jwren.lambda.qualifier=" + LambdaDeployer.SNAP_START_ALIAS;
            }
            out.println("run maps on it with: jwren.backend=lambda jwren.lambda.function=" + args.spec().function() + qualifier
                    + (args.region() != null ? " jwren.lambda.region=" + args.region() : "") + " jwren.storage=" + args.storage());
            return 0;
        } catch (RuntimeException e) {
            err.println("deploy: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    static String policies(Args args) {
        String region = args.region() != null ? args.region() : "*";
        String account = IamPolicies.account(args.spec().role());
        String fn = args.spec().function();
        String role = args.spec().role() != null ? "of the execution role " + args.spec().role()
                : "of the execution role to create, say " + fn + "-role (then deploy with --role arn:aws:iam::ACCOUNT:role/"
                  + fn + "-role)";
        return "# trust policy " + role + "\n" + IamPolicies.trust() + "\n"
                + "# permissions of the execution role (the function)\n" + IamPolicies.function(args.storage(), fn, region, account) + "\n"
                + "# permissions of the client that runs maps\n" + IamPolicies.client(args.storage(), fn, region, account);
    }

    static Args parse(String[] argv, Config config) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> env = new ArrayList<>();
        boolean policiesOnly = false;
        boolean snapStart = config.getBoolean("jwren.lambda.snap-start", false);
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--policies-only")) {
                policiesOnly = true;
                continue;
            }
            if (a.equals("--snap-start")) {
                snapStart = true;
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String value = argv[++i];
            if (a.equals("--env")) env.add(value);
            else opts.put(a.substring(2), value);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--env needs NAME=VALUE, was '" + e + "'");
            environment.put(e.substring(0, eq), e.substring(eq + 1));
        }
        String storage = opt(opts, "storage", config, "jwren.storage", null);
        if (storage == null) throw new IllegalArgumentException("--storage s3://bucket/prefix is required");
        URI storageUri = URI.create(storage);
        IamPolicies.prefix(storageUri);
        String region = opt(opts, "region", config, "jwren.lambda.region", null);
        String endpoint = opt(opts, "endpoint", config, "jwren.lambda.endpoint", null);
        String codeS3 = opts.remove("code-s3");
        String jar = opt(opts, "jar", config, "jwren.lambda.jar", null);
        Duration timeout = Duration.ofSeconds(Long.parseLong(opt(opts, "timeout", config, "jwren.lambda.timeout", "900")));
        String role = opt(opts, "role", config, "jwren.lambda.role", null);
        if (role == null && !policiesOnly)
            throw new IllegalArgumentException("--role is required: the ARN of the function's execution role (--policies-only "
                    + "prints the trust policy and permissions to create it with)");
        DeploySpec spec = new DeploySpec(
                opt(opts, "function", config, "jwren.lambda.function", null),
                role,
                jar != null ? Path.of(jar) : policiesOnly ? Path.of(WorkerJarLocator.FILE_NAME) : WorkerJarLocator.locate(),
                Integer.parseInt(opt(opts, "memory", config, "jwren.lambda.memory", String.valueOf(LambdaDeployer.DEFAULT_MEMORY_MB))),
                (int) timeout.toSeconds(),
                opt(opts, "architecture", config, "jwren.lambda.architecture", "x86_64"),
                opt(opts, "runtime", config, "jwren.lambda.runtime", LambdaDeployer.DEFAULT_RUNTIME),
                environment,
                codeS3 == null ? null : URI.create(codeS3),
                snapStart);
        if (!opts.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + opts.keySet());
        return new Args(spec, storageUri, region, endpoint == null ? null : URI.create(endpoint), policiesOnly);
    }

    private static String opt(Map<String, String> opts, String name, Config config, String key, String fallback) {
        String v = opts.remove(name);
        return v != null ? v : config.get(key, fallback);
    }
}

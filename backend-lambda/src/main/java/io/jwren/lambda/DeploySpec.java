package io.jwren.lambda;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What to deploy: the worker function's name, execution role and shape.
 *
 * @param function     function name
 * @param role         ARN of the execution role (see {@link IamPolicies#function}); null only to print policies
 * @param jar          the shaded worker jar ({@code io.jwren:worker-runtime:<version>:jar:worker}, {@code jwren-worker.jar})
 * @param memoryMb     memory, 128-10240 MiB (CPU grows with it)
 * @param timeoutS     the function's timeout, 1-900 s
 * @param architecture {@code x86_64} or {@code arm64}
 * @param runtime      {@code java17} or {@code java21}
 * @param environment  environment variables of the function (e.g. {@code JWREN_S3_REGION})
 * @param codeS3       {@code s3://bucket/key} to upload the jar to when it is over the 50 MB direct-upload
 *                     limit, or null
 * @param snapStart    turn SnapStart on for published versions, publish a version and point the alias
 *                     {@value LambdaDeployer#SNAP_START_ALIAS} at it
 */
record DeploySpec(String function, String role, Path jar, int memoryMb, int timeoutS, String architecture,
                  String runtime, Map<String, String> environment, URI codeS3, boolean snapStart) {
    DeploySpec {
        if (function == null || function.isBlank()) throw new IllegalArgumentException("--function is required");
        if (role != null && !role.startsWith("arn:"))
            throw new IllegalArgumentException("--role needs an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), was '" + role + "'");
        if (memoryMb < 128 || memoryMb > 10240) throw new IllegalArgumentException("memory must be 128-10240 MiB, was " + memoryMb);
        if (timeoutS < 1 || timeoutS > 900) throw new IllegalArgumentException("timeout must be 1-900 s, was " + timeoutS);
        if (!architecture.equals("x86_64") && !architecture.equals("arm64"))
            throw new IllegalArgumentException("architecture must be x86_64 or arm64, was " + architecture);
        // Lambda's Java runtimes that run the worker (class files up to 61/65); AWS would refuse another name only
        // after the upload, and moto not at all.
        if (!java.util.List.of("java17", "java21").contains(runtime))
            throw new IllegalArgumentException("runtime must be java17 or java21 (Lambda's Java runtimes for the worker), was '"
                    + runtime + "'");
        environment = Map.copyOf(environment);
    }

    /** A deploy without SnapStart. */
    DeploySpec(String function, String role, Path jar, int memoryMb, int timeoutS, String architecture, String runtime,
               Map<String, String> environment, URI codeS3) {
        this(function, role, jar, memoryMb, timeoutS, architecture, runtime, environment, codeS3, false);
    }
}

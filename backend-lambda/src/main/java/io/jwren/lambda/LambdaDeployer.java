package io.jwren.lambda;

import io.jwren.Config;
import io.jwren.spi.Providers;
import io.jwren.spi.Storage;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.SnapStart;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeRequest;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

/**
 * Creates or updates the worker function from the shaded worker jar, then waits until it is Active and
 * its last update Successful (the SDK's waiters). The requests are built by pure functions
 * ({@link #create}, {@link #updateCode}, {@link #updateConfiguration}, {@link #publish}) so they can be checked
 * without AWS.
 *
 * <p>With SnapStart ({@link DeploySpec#snapStart()}) the configuration also says SnapStart {@code ApplyOn:
 * PublishedVersions}; after the update a version is published (Lambda initialises it and snapshots the initialised
 * JVM), waited on until Active, and the alias {@value #SNAP_START_ALIAS} is pointed at it. SnapStart applies only
 * to invocations of a published version, so the lambda backend invokes that alias ({@code jwren.lambda.qualifier}).
 */
public final class LambdaDeployer {
    public static final String HANDLER = "io.jwren.worker.LambdaHandler::handleRequest";
    public static final String DEFAULT_RUNTIME = "java17";
    /** 1769 MiB is where Lambda gives a function one full vCPU. */
    public static final int DEFAULT_MEMORY_MB = 1769;
    /** Lambda takes a zip of at most 50 MB in the request itself; bigger code goes through S3. */
    static final long DIRECT_UPLOAD_LIMIT = 50L * 1000 * 1000;
    /** The alias a SnapStart deploy points at the version it publishes. */
    public static final String SNAP_START_ALIAS = "snap-start";
    private static final SnapStart SNAP_START = SnapStart.builder().applyOn(SnapStartApplyOn.PUBLISHED_VERSIONS).build();

    private final LambdaClient lambda;
    private final Config config;

    public LambdaDeployer(LambdaClient lambda, Config config) {
        this.lambda = lambda;
        this.config = config;
    }

    /** Where the code comes from: the jar's bytes, or an S3 object it is uploaded to first. */
    static FunctionCode code(DeploySpec spec, long jarSize, SdkBytes jarBytes) {
        if (jarSize <= DIRECT_UPLOAD_LIMIT) return FunctionCode.builder().zipFile(jarBytes).build();
        if (spec.codeS3() == null)
            throw new IllegalArgumentException("the worker jar is " + jarSize + " bytes, over Lambda's 50 MB direct upload: "
                    + "give an S3 location for it (--code-s3 s3://bucket/key)");
        return FunctionCode.builder().s3Bucket(spec.codeS3().getHost()).s3Key(s3Key(spec.codeS3())).build();
    }

    static CreateFunctionRequest create(DeploySpec spec, FunctionCode code) {
        CreateFunctionRequest.Builder b = CreateFunctionRequest.builder()
                .functionName(spec.function())
                .role(spec.role())
                .runtime(spec.runtime())
                .handler(HANDLER)
                .code(code)
                .memorySize(spec.memoryMb())
                .timeout(spec.timeoutS())
                .architectures(Architecture.fromValue(spec.architecture()))
                .environment(Environment.builder().variables(spec.environment()).build())
                .description("jwren worker: runs invocations of jwren maps from storage");
        if (spec.snapStart()) b.snapStart(SNAP_START);
        return b.build();
    }

    static UpdateFunctionCodeRequest updateCode(DeploySpec spec, FunctionCode code) {
        UpdateFunctionCodeRequest.Builder b = UpdateFunctionCodeRequest.builder()
                .functionName(spec.function())
                .architectures(Architecture.fromValue(spec.architecture()));
        if (code.zipFile() != null) b.zipFile(code.zipFile());
        else b.s3Bucket(code.s3Bucket()).s3Key(code.s3Key());
        return b.build();
    }

    static UpdateFunctionConfigurationRequest updateConfiguration(DeploySpec spec) {
        UpdateFunctionConfigurationRequest.Builder b = UpdateFunctionConfigurationRequest.builder()
                .functionName(spec.function())
                .role(spec.role())
                .runtime(spec.runtime())
                .handler(HANDLER)
                .memorySize(spec.memoryMb())
                .timeout(spec.timeoutS())
                .environment(Environment.builder().variables(spec.environment()).build());
        if (spec.snapStart()) b.snapStart(SNAP_START);
        return b.build();
    }

    /** Publishes the code just deployed (Lambda refuses if another update changed it meanwhile). */
    static PublishVersionRequest publish(DeploySpec spec, String codeSha256) {
        return PublishVersionRequest.builder()
                .functionName(spec.function())
                .codeSha256(codeSha256)
                .description("jwren worker with SnapStart")
                .build();
    }

    /**
     * Creates the function, or updates its code and then its configuration; with SnapStart, publishes a version and
     * points {@value #SNAP_START_ALIAS} at it. Returns when it can be invoked: the configuration of {@code $LATEST},
     * or with SnapStart that of the published version.
     */
    public FunctionConfiguration deploy(DeploySpec spec) {
        FunctionConfiguration latest = deployLatest(spec);
        return spec.snapStart() ? publishSnapStart(spec, latest) : latest;
    }

    private FunctionConfiguration publishSnapStart(DeploySpec spec, FunctionConfiguration latest) {
        String version = lambda.publishVersion(publish(spec, latest.codeSha256())).version();
        lambda.waiter().waitUntilPublishedVersionActive(b -> b.functionName(spec.function()).qualifier(version));
        try {
            lambda.updateAlias(b -> b.functionName(spec.function()).name(SNAP_START_ALIAS).functionVersion(version));
        } catch (ResourceNotFoundException e) {
            lambda.createAlias(b -> b.functionName(spec.function()).name(SNAP_START_ALIAS).functionVersion(version)
                    .description("the jwren worker version with SnapStart that jwren deploy lambda --snap-start published last"));
        }
        return lambda.getFunction(b -> b.functionName(spec.function()).qualifier(version)).configuration();
    }

    private FunctionConfiguration deployLatest(DeploySpec spec) {
        long size;
        try {
            size = Files.size(spec.jar());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker jar " + spec.jar()
                    + " (fetch it with: mvn dependency:copy -Dartifact=io.jwren:worker-runtime:<version>:jar:worker)", e);
        }
        SdkBytes bytes = size <= DIRECT_UPLOAD_LIMIT ? readJar(spec) : null;
        FunctionCode code = code(spec, size, bytes);
        if (bytes == null) uploadToS3(spec);
        FunctionConfiguration existing;
        try {
            existing = lambda.getFunction(b -> b.functionName(spec.function())).configuration();
        } catch (ResourceNotFoundException e) {
            existing = null;
        }
        if (existing != null) refuseForeign(spec, existing);
        if (existing == null) {
            lambda.createFunction(create(spec, code));
            return lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(spec.function()))
                    .matched().response().orElseThrow(() -> new IllegalStateException("function " + spec.function()
                            + " did not become Active")).configuration();
        }
        lambda.updateFunctionCode(updateCode(spec, code));
        waitUpdated(spec);
        lambda.updateFunctionConfiguration(updateConfiguration(spec));
        return waitUpdated(spec);
    }

    /**
     * An existing function of that name that is not a jwren worker (another runtime, another handler) is someone
     * else's: replacing its code would break it, so the deployer stops and says what is there. A jwren worker on
     * java17 may move to java21 and back.
     */
    static void refuseForeign(DeploySpec spec, FunctionConfiguration existing) {
        String runtime = existing.runtimeAsString();
        boolean worker = HANDLER.equals(existing.handler()) && runtime != null && runtime.startsWith("java");
        if (!worker)
            throw new IllegalStateException("function " + spec.function() + " already exists with runtime " + runtime
                    + " and handler " + existing.handler() + ", not a jwren worker (" + spec.runtime() + ", " + HANDLER
                    + "): choose another --function, or delete that function first");
    }

    private FunctionConfiguration waitUpdated(DeploySpec spec) {
        return lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName(spec.function()))
                .matched().response().orElseThrow(() -> new IllegalStateException("the update of function "
                        + spec.function() + " did not succeed")).configuration();
    }

    private static SdkBytes readJar(DeploySpec spec) {
        try {
            return SdkBytes.fromByteArrayUnsafe(Files.readAllBytes(spec.jar()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker jar " + spec.jar(), e);
        }
    }

    private void uploadToS3(DeploySpec spec) {
        URI bucket = URI.create("s3://" + spec.codeS3().getHost());
        try (Storage s3 = Providers.storage(bucket.toString(), config); InputStream in = Files.newInputStream(spec.jar())) {
            s3.putStream(s3Key(spec.codeS3()), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload the worker jar to " + spec.codeS3(), e);
        }
    }

    private static String s3Key(URI s3) {
        String key = s3.getPath() == null ? "" : s3.getPath().replaceFirst("^/", "");
        if (key.isEmpty()) throw new IllegalArgumentException("--code-s3 needs s3://bucket/key, was " + s3);
        return key;
    }

    /** The handler and runtimes this deployer sets; for messages. */
    static List<String> describe(DeploySpec spec) {
        return List.of(spec.function(), HANDLER, spec.runtime(), spec.architecture(), spec.memoryMb() + " MiB",
                spec.timeoutS() + " s");
    }
}

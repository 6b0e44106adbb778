package io.jwren.lambda;

import io.jwren.Config;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeRequest;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests the deployer sends, built without a network: no emulator here speaks CreateFunction. */
class LambdaDeployerTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/jwren-worker";
    private final DeploySpec spec = new DeploySpec("jwren-worker", ROLE, Path.of("jwren-worker.jar"), 2048, 300, "arm64",
            "java17", Map.of("JWREN_S3_REGION", "eu-west-1"), null);

    @Test
    void createFunctionCarriesHandlerRuntimeShapeAndTheJarAsZip() {
        SdkBytes jar = SdkBytes.fromByteArray(new byte[] {'P', 'K', 3, 4});
        FunctionCode code = LambdaDeployer.code(spec, 4, jar);
        CreateFunctionRequest r = LambdaDeployer.create(spec, code);
        assertEquals("jwren-worker", r.functionName());
        assertEquals(ROLE, r.role());
        assertEquals("io.jwren.worker.LambdaHandler::handleRequest", r.handler());
        assertEquals("java17", r.runtimeAsString());
        assertEquals(2048, r.memorySize());
        assertEquals(300, r.timeout());
        assertEquals(java.util.List.of(Architecture.ARM64), r.architectures());
        assertEquals(Map.of("JWREN_S3_REGION", "eu-west-1"), r.environment().variables());
        assertEquals(jar, r.code().zipFile());
        assertNull(r.code().s3Bucket());
    }

    @Test
    void aJarOver50MbGoesThroughS3AndWithoutALocationIsRefused() {
        long big = LambdaDeployer.DIRECT_UPLOAD_LIMIT + 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LambdaDeployer.code(spec, big, null));
        assertTrue(e.getMessage().contains("--code-s3"), e.getMessage());
        DeploySpec viaS3 = new DeploySpec("f", ROLE, Path.of("w.jar"), 1024, 60, "x86_64", "java17", Map.of(),
                URI.create("s3://code-bucket/jwren/worker.jar"));
        FunctionCode code = LambdaDeployer.code(viaS3, big, null);
        assertEquals("code-bucket", code.s3Bucket());
        assertEquals("jwren/worker.jar", code.s3Key());
        assertNull(code.zipFile());
        UpdateFunctionCodeRequest u = LambdaDeployer.updateCode(viaS3, code);
        assertEquals("code-bucket", u.s3Bucket());
        assertEquals("jwren/worker.jar", u.s3Key());
        assertEquals(java.util.List.of(Architecture.X86_64), u.architectures());
    }

    @Test
    void anUpdateSetsCodeThenConfiguration() {
        SdkBytes jar = SdkBytes.fromByteArray(new byte[] {1, 2});
        UpdateFunctionCodeRequest code = LambdaDeployer.updateCode(spec, LambdaDeployer.code(spec, 2, jar));
        assertEquals("jwren-worker", code.functionName());
        assertEquals(jar, code.zipFile());
        UpdateFunctionConfigurationRequest conf = LambdaDeployer.updateConfiguration(spec);
        assertEquals("io.jwren.worker.LambdaHandler::handleRequest", conf.handler());
        assertEquals(2048, conf.memorySize());
        assertEquals(300, conf.timeout());
        assertEquals(ROLE, conf.role());
        assertEquals("java17", conf.runtimeAsString());
    }

    @Test
    void snapStartIsOnForPublishedVersionsInBothRequestsAndThePublishNamesTheCode() {
        DeploySpec snap = new DeploySpec("jwren-worker", ROLE, Path.of("jwren-worker.jar"), 2048, 300, "x86_64", "java17",
                Map.of(), null, true);
        FunctionCode code = LambdaDeployer.code(snap, 2, SdkBytes.fromByteArray(new byte[] {1, 2}));
        assertEquals(SnapStartApplyOn.PUBLISHED_VERSIONS, LambdaDeployer.create(snap, code).snapStart().applyOn());
        assertEquals(SnapStartApplyOn.PUBLISHED_VERSIONS, LambdaDeployer.updateConfiguration(snap).snapStart().applyOn());
        PublishVersionRequest publish = LambdaDeployer.publish(snap, "c2hhMjU2");
        assertEquals("jwren-worker", publish.functionName());
        assertEquals("c2hhMjU2", publish.codeSha256());
        // without it, neither request touches the function's SnapStart setting
        assertNull(LambdaDeployer.create(spec, code).snapStart());
        assertNull(LambdaDeployer.updateConfiguration(spec).snapStart());
    }

    @Test
    void specsOutsideLambdasLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DeploySpec("f", ROLE, Path.of("j"), 64, 60, "x86_64", "java17", Map.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new DeploySpec("f", ROLE, Path.of("j"), 1024, 901, "x86_64", "java17", Map.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new DeploySpec("f", ROLE, Path.of("j"), 1024, 60, "sparc", "java17", Map.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new DeploySpec("f", "not-an-arn", Path.of("j"), 1024, 60, "x86_64", "java17", Map.of(), null));
    }

    @Test
    void policiesAreValidJsonAndGrantOnlyThePrefixTheLogsAndTheFunction() {
        JsonMapper json = JsonMapper.builder().build();
        URI storage = URI.create("s3://my-bucket/jwren/run");
        JsonNode fn = json.readTree(IamPolicies.function(storage, "jwren-worker", "eu-west-1", IamPolicies.account(ROLE)));
        String f = fn.toString();
        assertTrue(f.contains("\"arn:aws:s3:::my-bucket/jwren/run/*\""), f);
        assertTrue(f.contains("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/jwren-worker:*"), f);
        assertTrue(!f.contains("DeleteObject") && !f.contains("lambda:") && !f.contains("ListBucket"),
                "the function needs no delete, no invoke, no listing: " + f);
        JsonNode client = json.readTree(IamPolicies.client(storage, "jwren-worker", "eu-west-1", "123456789012"));
        String c = client.toString();
        assertTrue(c.contains("\"lambda:InvokeFunction\""), c);
        assertTrue(c.contains("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::my-bucket\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"jwren/run/*\"]}}}"), "the client lists the prefix only: " + c);
        assertTrue(c.contains("arn:aws:lambda:eu-west-1:123456789012:function:jwren-worker"), c);
        assertTrue(!c.contains("\"*\"") && !c.contains("s3:*"), "no wildcard resources or actions: " + c);
        assertEquals("sts:AssumeRole", json.readTree(IamPolicies.trust()).get("Statement").get(0).get("Action").asString());
        assertEquals("*", IamPolicies.account("arn:aws:iam::role/x"));
        assertThrows(IllegalArgumentException.class, () -> IamPolicies.prefix(URI.create("file:///tmp/x")));
    }

    @Test
    void theCommandLineFallsBackToConfigAndPrintsThePolicies() {
        Config config = Config.resolve(Map.of("jwren.lambda.region", "eu-west-1", "jwren.storage", "s3://b/p"),
                new Properties(), Map.of(), Path.of("none"), Path.of("none"));
        DeployMain.Args a = DeployMain.parse(new String[] {"--function", "jwren-worker", "--role", ROLE, "--memory", "3008",
                "--env", "JWREN_S3_REGION=eu-west-1", "--policies-only"}, config);
        assertEquals(3008, a.spec().memoryMb());
        assertEquals(900, a.spec().timeoutS());
        assertEquals("x86_64", a.spec().architecture());
        assertEquals(Map.of("JWREN_S3_REGION", "eu-west-1"), a.spec().environment());
        assertEquals("eu-west-1", a.region());
        assertTrue(a.policiesOnly());
        String printed = DeployMain.policies(a);
        assertTrue(printed.contains("arn:aws:s3:::b/p/*") && printed.contains("lambda:InvokeFunction"), printed);
        assertThrows(IllegalArgumentException.class, () -> DeployMain.parse(new String[] {"--function", "f", "--role", ROLE,
                "--bogus", "1"}, config));
    }
}

package io.jwren.lambda;

import io.jwren.testing.aws.MotoServer;
import io.jwren.testing.lambda.EmulatorFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy command ({@code jwren deploy lambda} hands its arguments to {@link DeployMain#run}) against moto's
 * Lambda control plane: CreateFunction from the real worker jar and the Active waiter, UpdateFunctionCode then
 * UpdateFunctionConfiguration with the LastUpdateStatus waiter, a jar over 50 MB through S3, and the errors.
 * moto stores the code and reports the states; it cannot run the function (no Docker), so invokes are tested on
 * serverless-offline instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaDeployOnMotoTest {
    private static final String BUCKET = "jwren-deploy";
    private final Map<String, String> savedProperties = new HashMap<>();
    private MotoServer moto;
    private LambdaClient lambda;
    private String role;

    @TempDir
    Path scratch;

    record Run(int code, String out, String err) {}

    @BeforeAll
    void start() {
        moto = MotoServer.start();
        role = moto.iam().createRole("jwren-worker-role", IamPolicies.trust());
        moto.createBucket(BUCKET);
        // The command finds credentials and, for --code-s3, the S3 endpoint as a user's run would: system properties.
        setProperty("aws.accessKeyId", moto.credentials().accessKeyId());
        setProperty("aws.secretAccessKey", moto.credentials().secretAccessKey());
        setProperty("jwren.s3.endpoint", moto.endpoint().toString());
        setProperty("jwren.s3.region", moto.region());
        lambda = LambdaClient.builder().endpointOverride(moto.endpoint()).region(Region.of(moto.region()))
                .credentialsProvider(moto.credentialsProvider()).build();
    }

    @AfterAll
    void stop() {
        if (lambda != null) lambda.close();
        if (moto != null) moto.close();
        savedProperties.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    private void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    private Run deploy(String function, String... more) {
        List<String> argv = new ArrayList<>(List.of("--function", function, "--storage", "s3://" + BUCKET + "/jobs",
                "--region", moto.region(), "--endpoint", moto.endpoint().toString()));
        argv.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DeployMain.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private FunctionConfiguration configuration(String function) {
        return lambda.getFunction(b -> b.functionName(function)).configuration();
    }

    @Test
    void createsTheFunctionFromTheWorkerJarThenRedeploysCodeAndConfiguration() throws Exception {
        Path jar = EmulatorFiles.workerJar();
        Run created = deploy("jwren-worker", "--role", role, "--jar", jar.toString(), "--memory", "1024", "--timeout", "60");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("state Active"), created.out());
        FunctionConfiguration fn = configuration("jwren-worker");
        assertEquals(LambdaDeployer.HANDLER, fn.handler());
        assertEquals(Runtime.JAVA17, fn.runtime());
        assertEquals(1024, fn.memorySize());
        assertEquals(60, fn.timeout());
        assertEquals(role, fn.role());
        assertEquals(Files.size(jar), fn.codeSize());
        assertEquals(sha256Base64(jar), fn.codeSha256(), "the code moto keeps is the worker jar");

        Run updated = deploy("jwren-worker", "--role", role, "--jar", jar.toString(), "--memory", "2048", "--timeout", "120",
                "--runtime", "java21", "--env", "JWREN_S3_REGION=" + moto.region());
        assertEquals(0, updated.code(), updated.err());
        assertTrue(updated.out().contains("last update Successful"), updated.out());
        fn = configuration("jwren-worker");
        assertEquals(2048, fn.memorySize());
        assertEquals(120, fn.timeout());
        assertEquals(Runtime.JAVA21, fn.runtime());
        assertEquals(Map.of("JWREN_S3_REGION", moto.region()), fn.environment().variables());
        assertEquals("Successful", fn.lastUpdateStatusAsString());
        assertEquals(sha256Base64(jar), fn.codeSha256());
    }

    /**
     * {@code --snap-start}: after the code and configuration, a version is published and the alias {@code snap-start}
     * points at it; a redeploy publishes the next version and moves the alias. moto keeps versions and aliases but not
     * SnapStart (it answers {@code ApplyOn: None} whatever was sent): that the requests ask for it is
     * {@link LambdaDeployerTest}'s to check.
     */
    @Test
    void snapStartPublishesAVersionAndPointsTheAliasTheBackendInvokesAtIt() {
        Path jar = EmulatorFiles.workerJar();
        Run first = deploy("jwren-snap", "--role", role, "--jar", jar.toString(), "--snap-start");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("published version 1 with SnapStart"), first.out());
        assertTrue(first.out().contains("alias snap-start -> 1"), first.out());
        assertTrue(first.out().contains("run maps on it with: jwren.backend=lambda jwren.lambda.function=jwren-snap "
                + "jwren.lambda.qualifier=snap-start"), first.out());
        assertEquals("1", lambda.getAlias(b -> b.functionName("jwren-snap").name(LambdaDeployer.SNAP_START_ALIAS)).functionVersion());
        FunctionConfiguration v1 = lambda.getFunction(b -> b.functionName("jwren-snap").qualifier("1")).configuration();
        assertEquals(sha256Base64Unchecked(jar), v1.codeSha256(), "the version holds the worker jar");
        assertEquals("Active", v1.stateAsString());

        Run second = deploy("jwren-snap", "--role", role, "--jar", jar.toString(), "--snap-start", "--memory", "2048");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("published version 2 with SnapStart") && second.out().contains("alias snap-start -> 2"),
                second.out());
        assertEquals("2", lambda.getAlias(b -> b.functionName("jwren-snap").name(LambdaDeployer.SNAP_START_ALIAS)).functionVersion());
        assertEquals(2048, lambda.getFunction(b -> b.functionName("jwren-snap").qualifier("snap-start")).configuration().memorySize());
        assertEquals(List.of("$LATEST", "1", "2"), lambda.listVersionsByFunction(b -> b.functionName("jwren-snap")).versions()
                .stream().map(FunctionConfiguration::version).toList());

        Run plain = deploy("jwren-snap", "--role", role, "--jar", jar.toString(), "--memory", "1024");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(!plain.out().contains("published version") && !plain.out().contains("qualifier"), plain.out());
        assertEquals("2", lambda.getAlias(b -> b.functionName("jwren-snap").name(LambdaDeployer.SNAP_START_ALIAS)).functionVersion(),
                "a deploy without --snap-start publishes nothing and leaves the alias");
    }

    private static String sha256Base64Unchecked(Path file) {
        try {
            return sha256Base64(file);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aJarOver50MbIsRefusedWithoutAnS3LocationAndGoesThroughS3WithOne() throws Exception {
        Path big = jarOver50Mb();
        Run refused = deploy("jwren-big", "--role", role, "--jar", big.toString());
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("over Lambda's 50 MB direct upload") && refused.err().contains("--code-s3"), refused.err());

        Run viaS3 = deploy("jwren-big", "--role", role, "--jar", big.toString(), "--code-s3", "s3://" + BUCKET + "/code/worker.jar");
        assertEquals(0, viaS3.code(), viaS3.err());
        try (var s3 = moto.s3()) {
            assertEquals(Files.size(big), s3.headObject(b -> b.bucket(BUCKET).key("code/worker.jar")).contentLength());
        }
        FunctionConfiguration fn = configuration("jwren-big");
        assertEquals(Files.size(big), fn.codeSize());
        assertEquals(sha256Base64(big), fn.codeSha256(), "moto read the code from the S3 object");

        Run redeployed = deploy("jwren-big", "--role", role, "--jar", big.toString(), "--code-s3", "s3://" + BUCKET + "/code/worker.jar",
                "--memory", "3008");
        assertEquals(0, redeployed.code(), redeployed.err());
        assertEquals(3008, configuration("jwren-big").memorySize());
    }

    @Test
    void aRoleThatDoesNotExistIsReportedAndNothingIsCreated() {
        Run r = deploy("jwren-norole", "--role", "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/absent", "--jar",
                EmulatorFiles.workerJar().toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().startsWith("deploy: The role defined for the function cannot be assumed by Lambda."), r.err());
        assertTrue(lambda.listFunctions().functions().stream().noneMatch(f -> f.functionName().equals("jwren-norole")));
    }

    @Test
    void aRuntimeThatCannotRunTheWorkerIsRefusedBeforeAnyCall() {
        Run r = deploy("jwren-python", "--role", role, "--jar", EmulatorFiles.workerJar().toString(), "--runtime", "python3.12");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("runtime must be java17 or java21"), r.err());
        assertEquals("", r.out(), "refused before the policies are printed");
    }

    @Test
    void aFunctionOfThatNameWithAnotherRuntimeIsLeftAlone() throws Exception {
        SdkBytes python = SdkBytes.fromByteArray(zipOf("app.py", "def handler(e, c):\n    return e\n"));
        lambda.createFunction(b -> b.functionName("someone-elses").role(role).runtime(Runtime.PYTHON3_12).handler("app.handler")
                .code(c -> c.zipFile(python)));
        String before = configuration("someone-elses").codeSha256();
        Run r = deploy("someone-elses", "--role", role, "--jar", EmulatorFiles.workerJar().toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("function someone-elses already exists with runtime python3.12 and handler app.handler, "
                + "not a jwren worker"), r.err());
        FunctionConfiguration after = configuration("someone-elses");
        assertEquals(before, after.codeSha256(), "its code is untouched");
        assertEquals(Runtime.PYTHON3_12, after.runtime());
    }

    /** The worker jar with a stored (uncompressed) entry of random bytes that takes it past 50 MB. */
    private Path jarOver50Mb() throws Exception {
        Path big = scratch.resolve("jwren-worker-big.jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(EmulatorFiles.workerJar()));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(big))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            byte[] padding = new byte[(int) LambdaDeployer.DIRECT_UPLOAD_LIMIT + (1 << 20)];
            new Random(13).nextBytes(padding);
            ZipEntry entry = new ZipEntry("padding.bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(padding.length);
            CRC32 crc = new CRC32();
            crc.update(padding);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(padding);
            out.closeEntry();
        }
        assertTrue(Files.size(big) > LambdaDeployer.DIRECT_UPLOAD_LIMIT);
        return big;
    }

    private static byte[] zipOf(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha256Base64(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(new OutputStream() {
                @Override
                public void write(int b) {
                    sha.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    sha.update(b, off, len);
                }
            });
        }
        return Base64.getEncoder().encodeToString(sha.digest());
    }
}

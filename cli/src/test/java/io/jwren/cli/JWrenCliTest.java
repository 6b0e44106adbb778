package io.jwren.cli;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jwren command on a storage holding a real job run by worker JVMs; clean runs last. */
@TestMethodOrder(MethodOrderer.MethodName.class)
class JWrenCliTest {
    @TempDir
    static Path dir;
    static String storage;
    static String jobId;

    record Run(int code, String out, String err) {
        String transcript() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JWrenCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void runAJobWithAFailingCall() throws Exception {
        storage = dir.resolve("store").toUri().toString();
        try (Executor ex = Executor.builder().backend("processes").storage(storage).property("jwren.workers", "2").build()) {
            MapFuture<Integer> f = ex.map((Integer x) -> {
                System.out.println("call says " + x);
                if (x == 2) throw new IllegalStateException("two is bad");
                return x * 10;
            }, List.of(0, 1, 2, 3, 4), MapOptions.builder().chunkSize(2).build());
            assertThrows(ExecutionException.class, () -> f.get(120, TimeUnit.SECONDS));
            for (CallFuture<Integer> c : f.calls()) assertTrue(c.isDone());
            jobId = f.jobId();
        }
    }

    @AfterAll
    static void nothingLeftBehindByClean() {
        Run run = cli("jobs", "--storage", storage);
        assertTrue(run.out().contains("(no jobs in "), run.transcript());
    }

    @Test
    void jobsListsTheJobWithItsCounts() {
        Run run = cli("jobs", "--storage", storage);
        assertEquals(0, run.code(), run.transcript());
        assertTrue(run.out().startsWith("JOB"), run.transcript());
        String line = run.out().lines().filter(l -> l.startsWith(jobId)).findFirst().orElseThrow(() -> new AssertionError(run.transcript()));
        assertTrue(line.matches(jobId + " +processes +failed +5 +5 +1 +\\d+ +\\d+% +\\d+s"), line);
        // every worker JVM's first invocation (two calls, or one for the last) is a cold start: at least the first
        int cold = Integer.parseInt(line.split(" +")[6]);
        assertTrue(cold >= 2 && cold <= 5, line);
    }

    @Test
    void logsShowWhatCallsPrintedAndTheFailure() {
        Run all = cli("logs", jobId, "--storage", storage);
        assertEquals(0, all.code(), all.transcript());
        for (int i = 0; i < 5; i++) assertTrue(all.out().contains("call says " + i), all.transcript());
        assertTrue(all.out().contains("== invocation 1 (calls 2-3), attempt 0, worker "), all.transcript());
        assertTrue(all.out().contains("-- call 2 failed after"), all.transcript());
        assertTrue(all.out().contains("java.lang.IllegalStateException: two is bad"), all.transcript());

        Run one = cli("logs", jobId, "4", "--storage", storage);
        assertTrue(one.out().contains("== invocation 2 (calls 4-4)") && one.out().contains("call says 4"), one.transcript());
        assertTrue(!one.out().contains("two is bad"), one.transcript());
    }

    @Test
    void configSaysWhereEachValueComesFrom() {
        Run run = cli("config", "-Djwren.workers=7", "jwren.workers", "jwren.backend", "jwren.nothing");
        assertEquals(0, run.code(), run.transcript());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("jwren.workers +7 +\\(command line\\) +worker threads.*")), run.transcript());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("jwren.nothing +- +\\(not set\\) +\\(unknown key\\)")), run.transcript());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("jwren.backend +threads +\\(default\\) +where calls run.*")
                || l.startsWith("jwren.backend ")), run.transcript());
    }

    @Test
    void theSigningKeyIsShownAsSecretAndAJobIsReadWithItOrWithout() {
        String key = java.util.Base64.getEncoder().encodeToString("jwren cli test: a signing key of 32+".getBytes());
        Run config = cli("config", "-Djwren.signing-key=" + key, "jwren.signing-key");
        assertTrue(config.out().lines().anyMatch(l -> l.matches("jwren.signing-key +\\(secret\\) +\\(command line\\) .*")),
                config.transcript());
        assertTrue(!config.transcript().contains(key.substring(0, 12)), config.transcript());
        // the job was signed with its executor's random key: another key says its objects fail their check
        Run other = cli("jobs", "--storage", storage, "-Djwren.signing-key=" + key);
        assertTrue(other.code() != 0 && other.err().contains("failed its integrity check"), other.transcript());
    }

    /** The environment as a user sets it, in a JVM of its own: exact keys, every declared key listed, typos named. */
    @Test
    void configReadsTheEnvironmentByTheDeclaredNamesAndWarnsAboutTypos() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jwren.cli.JWrenCli", "config");
        pb.environment().put("JWREN_S3_PART_SIZE", "16777216");
        pb.environment().put("JWREN_LAMBDA_MAX_CONCURRENT_INVOKES", "7");
        pb.environment().put("JWREN_S3_PARTSIZE", "1");
        Path log = dir.resolve("config-env.out");
        Path errLog = dir.resolve("config-env.err");
        Process p = pb.redirectOutput(log.toFile()).redirectError(errLog.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jwren config did not finish");
        String out = java.nio.file.Files.readString(log);
        String err = java.nio.file.Files.readString(errLog);
        assertEquals(0, p.exitValue(), out + err);
        assertTrue(out.lines().anyMatch(l -> l.matches("jwren.s3.part-size +16777216 +\\(environment\\) +bytes per part.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("jwren.lambda.max-concurrent-invokes +7 +\\(environment\\) .*")), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("jwren.s3.part.size") || l.startsWith("jwren.lambda.max.concurrent")), out);
        for (String key : io.jwren.spi.Settings.declared().keySet())
            assertTrue(out.lines().anyMatch(l -> l.startsWith(key + " ")), key + " missing from\n" + out);
        assertTrue(err.contains("warning: unknown jwren setting jwren.s3.partsize (from environment variable JWREN_S3_PARTSIZE);"
                + " did you mean jwren.s3.part-size (JWREN_S3_PART_SIZE)?"), err);
    }

    @Test
    void badArgumentsGetUsageAndExitTwo() {
        for (String[] args : new String[][] {{}, {"jobs", "--bogus"}, {"logs"}, {"logs", "nope-M000", "--storage", storage},
                {"logs", jobId, "99", "--storage", storage}, {"clean", "--older-than", "soon", "--storage", storage}, {"frobnicate"}}) {
            Run run = cli(args);
            assertEquals(2, run.code(), String.join(" ", args) + "\n" + run.transcript());
            assertTrue(run.err().contains("Usage: jwren"), run.transcript());
        }
        assertTrue(cli("logs", "nope-M000", "--storage", storage).err().contains("no job 'nope-M000' in " + storage));
    }

    @Test
    void deployLambdaPrintsPoliciesWithoutARoleAndNeverSaysNull() {
        Run policies = cli("deploy", "lambda", "--function", "jwren-worker", "--storage", "s3://my-bucket/jwren",
                "--region", "eu-west-1", "--policies-only");
        assertEquals(0, policies.code(), policies.transcript());
        assertTrue(policies.out().contains("# trust policy of the execution role to create, say jwren-worker-role"), policies.transcript());
        assertTrue(policies.out().contains("\"sts:AssumeRole\"") && policies.out().contains("lambda:InvokeFunction"), policies.transcript());
        Run noRole = cli("deploy", "lambda", "--function", "jwren-worker", "--storage", "s3://my-bucket/jwren");
        assertEquals(2, noRole.code(), noRole.transcript());
        assertTrue(noRole.err().contains("--role is required"), noRole.transcript());
        Run badRole = cli("deploy", "lambda", "--function", "jwren-worker", "--role", "jwren-worker", "--storage", "s3://my-bucket/jwren");
        assertEquals(2, badRole.code(), badRole.transcript());
        assertTrue(badRole.err().contains("was 'jwren-worker'"), badRole.transcript());
        for (Run r : List.of(policies, noRole, badRole)) assertTrue(!r.transcript().contains("null"), r.transcript());
    }

    @Test
    void deployLambdaPrintsTheLeastPrivilegePoliciesAndRefusesBadArguments() {
        Run policies = cli("deploy", "lambda", "--function", "jwren-worker", "--role", "arn:aws:iam::123456789012:role/jwren-worker",
                "--storage", "s3://my-bucket/jwren", "--region", "eu-west-1", "--policies-only");
        assertEquals(0, policies.code(), policies.transcript());
        String out = policies.out();
        assertTrue(out.contains("\"arn:aws:s3:::my-bucket/jwren/*\""), out);
        assertTrue(out.contains("\"arn:aws:lambda:eu-west-1:123456789012:function:jwren-worker\""), out);
        assertTrue(out.contains("lambda:InvokeFunction"), out);
        assertTrue(out.contains("\"s3:prefix\""), "listing is limited to the prefix: " + out);
        Run missing = cli("deploy", "lambda", "--function", "jwren-worker");
        assertEquals(2, missing.code(), missing.transcript());
        assertTrue(missing.err().contains("the lambda backend needs S3 storage (s3://bucket/prefix), was file:") && missing.err().contains("usage: deploy"),
                missing.transcript());
        Run noBackend = cli("deploy");
        assertEquals(2, noBackend.code(), noBackend.transcript());
        assertTrue(noBackend.err().contains("Missing backend: choose one of lambda"), noBackend.transcript());
        assertEquals(0, cli("deploy", "lambda", "--help").code());
    }

    @Test
    void zCleanDeletesFinishedJobsAndDryRunDeletesNothing() {
        Run young = cli("clean", "--older-than", "1h", "--storage", storage);
        assertTrue(young.out().contains("deleted 0 job(s), kept 1"), young.transcript());
        Run dry = cli("clean", "--dry-run", "--storage", storage);
        assertTrue(dry.out().contains("would delete " + jobId + " (failed, "), dry.transcript());
        Run real = cli("clean", "--storage", storage);
        assertEquals(0, real.code(), real.transcript());
        assertTrue(real.out().contains("deleted " + jobId), real.transcript());
    }
}

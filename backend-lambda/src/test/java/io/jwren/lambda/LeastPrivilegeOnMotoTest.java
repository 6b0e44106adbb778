package io.jwren.lambda;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.testing.aws.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IAM policies {@code jwren deploy lambda --policies-only} prints, enforced by moto's IAM authorization: a
 * client that is an IAM user holding exactly the client policy runs a map on the processes backend, whose worker
 * JVMs are an IAM user holding exactly the function policy, over moto's S3, and attaches to it. It succeeds; then
 * each S3 statement is removed in turn and the map or the attach must fail naming the denied action
 * ({@link #expectedWithout}): every S3 statement is needed, and the set is sufficient. The statements on CloudWatch
 * Logs and lambda:InvokeFunction are not tried here: moto authorizes Lambda and Logs calls against resource "*"
 * (and Invoke as "lambda:Invoke"), so it denies those correct, resource-scoped statements; nor is the
 * {@code s3:prefix} condition, which moto does not evaluate. The workers get their own keys as
 * {@code -Daws.*} options through {@code jwren.processes.jvm-args} (the AWS chain reads system properties before
 * the environment the backend forwards the client's keys in): a test-only device, these are throwaway moto keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeOnMotoTest {
    private static final String BUCKET = "jwren-least";
    private static final String STORAGE = "s3://" + BUCKET + "/jobs";
    private static final String FUNCTION = "jwren-worker";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MotoServer moto;
    private String clientPolicy;
    private String functionPolicy;
    private AwsBasicCredentials client;
    private AwsBasicCredentials worker;
    private String savedKeyId;
    private String savedSecret;

    @BeforeAll
    void start() {
        moto = MotoServer.start();
        moto.createBucket(BUCKET);
        StringWriter out = new StringWriter();
        int code = DeployMain.run(new String[] {"--function", FUNCTION, "--role", "arn:aws:iam::" + MotoServer.ACCOUNT
                + ":role/" + FUNCTION, "--storage", STORAGE, "--region", moto.region(), "--policies-only"}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        assertEquals(0, code, out.toString());
        functionPolicy = section(out.toString(), "# permissions of the execution role (the function)");
        clientPolicy = section(out.toString(), "# permissions of the client that runs maps");
        client = moto.iam().createUser("jwren-client", clientPolicy);
        worker = moto.iam().createUser("jwren-function", functionPolicy);
        moto.enforceAuthorization();
        savedKeyId = System.getProperty("aws.accessKeyId");
        savedSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", client.accessKeyId());
        System.setProperty("aws.secretAccessKey", client.secretAccessKey());
    }

    @AfterAll
    void stop() {
        restore("aws.accessKeyId", savedKeyId);
        restore("aws.secretAccessKey", savedSecret);
        if (moto != null) moto.close();
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    /** The JSON document printed after {@code heading}, up to the next heading. */
    private static String section(String printed, String heading) {
        int from = printed.indexOf(heading);
        assertTrue(from >= 0, heading + " in " + printed);
        from = printed.indexOf('\n', from) + 1;
        int to = printed.indexOf("\n#", from);
        return (to < 0 ? printed.substring(from) : printed.substring(from, to)).trim();
    }

    /** A map of 8 calls in 4 invocations, then an attach to it; "ok", or the step that failed and what it said. */
    private String runMap() {
        String step = "map";
        try (Executor ex = Executor.builder().backend("processes").storage(STORAGE)
                .property("jwren.s3.endpoint", moto.endpoint().toString()).property("jwren.s3.region", moto.region())
                .property("jwren.workers", "2").property("jwren.retries", "0").property("jwren.retention", "0s")
                .property("jwren.processes.jvm-args", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Daws.accessKeyId="
                        + worker.accessKeyId() + " -Daws.secretAccessKey=" + worker.secretAccessKey())
                .build()) {
            List<Integer> expected = IntStream.rangeClosed(1, 8).map(x -> x * 3).boxed().toList();
            MapFuture<Integer> f = ex.map((Integer x) -> x * 3, IntStream.rangeClosed(1, 8).boxed().toList(),
                    MapOptions.builder().chunkSize(2).build());
            assertEquals(expected, f.get(120, TimeUnit.SECONDS));
            // The processes backend hears of completion from its workers; where no backend can tell (Lambda) the
            // client lists results/, as it does when it attaches to a job: that is what the list statement is for.
            step = "attach";
            assertEquals(expected, ex.attach(f.jobId()).get(30, TimeUnit.SECONDS));
            return "ok";
        } catch (Exception e) {
            StringBuilder said = new StringBuilder(step + ": ");
            for (Throwable t = e; t != null; t = t.getCause()) said.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
            return said.toString();
        }
    }

    private static List<String> statements(String policy) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(policy).get("Statement")) out.add(s.toString());
        return out;
    }

    private static String without(String policy, int index) {
        ObjectNode doc = (ObjectNode) JSON.readTree(policy);
        ((ArrayNode) doc.get("Statement")).remove(index);
        return doc.toString();
    }

    /**
     * What the client must be told once {@code statement} is removed from {@code side}'s policy: the step that fails
     * and the denied action. Without its object statement the client cannot stage the job; without its listing the
     * map still runs (the processes backend reports completion) but the attach, which learns results by listing,
     * fails at its first listing; workers without theirs cannot store their results. Workers never list: their policy has
     * no list statement.
     */
    private static List<String> expectedWithout(String side, String statement) {
        if (side.equals("client") && statement.contains("s3:ListBucket"))
            return List.of("attach: ", "StorageAccessDeniedException", "refused ListObjectsV2", "lack s3:ListBucket on " + STORAGE);
        // staging checks a class bundle first (HeadObject, which needs s3:GetObject); inputs this small are not stored
        if (side.equals("client")) return List.of("map: ", "StorageAccessDeniedException", "lack s3:GetObject on " + STORAGE);
        // a job this small travels inline: its workers read nothing of it but class bundles, which they cached on this
        // machine in the first map; their first request is their result's
        return List.of("map: ", "WorkerLostException", "refused PutObject", "lack s3:PutObject on " + STORAGE);
    }

    @Test
    void exactlyThePrintedPoliciesRunAMapAndEachS3StatementIsNeeded() {
        assertEquals("ok", runMap(), "with exactly the printed policies");
        List<String> table = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        for (String side : List.of("client", "function")) {
            String user = side.equals("client") ? "jwren-client" : "jwren-function";
            String policy = side.equals("client") ? clientPolicy : functionPolicy;
            List<String> statements = statements(policy);
            for (int i = 0; i < statements.size(); i++) {
                if (!statements.get(i).contains("\"s3:")) continue;
                tried.add(side + " " + JSON.readTree(statements.get(i)).get("Action"));
                moto.iam().putUserPolicy(user, "policy", without(policy, i));
                String outcome;
                try {
                    outcome = runMap();
                } finally {
                    moto.iam().putUserPolicy(user, "policy", policy);
                }
                table.add(side + " without " + statements.get(i) + "\n    -> " + outcome);
                for (String part : expectedWithout(side, statements.get(i)))
                    if (!outcome.contains(part)) unexpected.add(side + " without " + statements.get(i) + ": no '" + part + "' in " + outcome);
            }
        }
        System.out.println("least privilege on moto:\n  " + String.join("\n  ", table));
        assertEquals(List.of(), unexpected);
        assertEquals(List.of("client [\"s3:GetObject\",\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:DeleteObject\"]",
                "client \"s3:ListBucket\"", "function [\"s3:GetObject\",\"s3:PutObject\",\"s3:AbortMultipartUpload\"]"), tried,
                "the S3 statements tried");
        assertEquals("ok", runMap(), "the policies restored");
    }
}

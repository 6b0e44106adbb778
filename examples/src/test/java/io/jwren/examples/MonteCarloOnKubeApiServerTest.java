package io.jwren.examples;

import io.jwren.testing.k8s.KubeApiServer;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code montecarlo --backend k8s} with nothing but jwren.k8s.* settings, on a real control plane (kube-apiserver,
 * the Job controller) whose one node runs each pod as {@code java -jar jwren-worker.jar}, over S3Proxy: the same
 * points as on threads for the same seed.
 */
class MonteCarloOnKubeApiServerTest {
    private static final String BUCKET = "jwren-montecarlo-k8s";
    private static final String IMAGE = "registry.example/jwren-worker:0.1";

    @TempDir
    Path dir;

    @Test
    void sameSeedGivesTheSamePointsOnThreadsAndOnKubernetes() throws Exception {
        String jar = System.getProperty("jwren.test.worker-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) fail("the worker jar " + jar + " is missing: run `mvn verify`");
        String storage = "s3://" + BUCKET + "/examples";
        try (S3ProxyServer s3 = S3ProxyServer.start(null);
             KubeApiServer k8s = KubeApiServer.start(dir.resolve("cluster"), Map.of(IMAGE, KubeApiServer.javaJar(Path.of(jar).toAbsolutePath())))) {
            s3.createBucket(BUCKET);
            S3ProxyServer.useAsDefaultCredentials();
            k8s.createSecret(KubeApiServer.NAMESPACE, "jwren-s3", Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("jwren.s3.endpoint", s3.endpoint().toString());
            config.put("jwren.s3.region", "us-east-1");
            config.put("jwren.s3.path-style", "true");
            config.put("jwren.k8s.kubeconfig", k8s.kubeconfig().toString());
            config.put("jwren.k8s.request-timeout", KubeApiServer.REQUEST_TIMEOUT_MS + "ms");
            config.put("jwren.k8s.namespace", KubeApiServer.NAMESPACE);
            config.put("jwren.k8s.image", IMAGE);
            config.put("jwren.k8s.secret", "jwren-s3");
            CliRun onK8s = CliRun.withSystemProperties(config, () -> CliRun.of("montecarlo", "--trials", "4000000",
                    "--workers", "4", "--seed", "2024", "--backend", "k8s", "--storage", storage));
            assertEquals(0, onK8s.exitCode(), () -> onK8s.transcript() + "\ncluster:\n" + String.join("\n", k8s.history()));
            CliRun onThreads = CliRun.of("montecarlo", "--trials", "4000000", "--workers", "4", "--seed", "2024",
                    "--backend", "threads", "--storage", dir.resolve("local").toUri().toString());
            Map<String, String> k8sTable = MonteCarloCommandTest.parseTable(onK8s);
            assertEquals("k8s", k8sTable.get("backend"));
            assertEquals(MonteCarloCommandTest.parseTable(onThreads).get("points"), k8sTable.get("points"));
            assertTrue(k8s.history().stream().filter(e -> e.endsWith(" Succeeded")).count() >= 4,
                    "every invocation ran as a pod: " + k8s.history());
            System.err.println("[jwren-test] montecarlo on k8s (kube-apiserver, pods as worker JVMs):\n" + onK8s.out());
        }
    }
}

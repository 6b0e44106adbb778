package io.jwren.k8s;

import io.jwren.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a kubeconfig, a service account or a master URL, the backend says so before any API call. */
class NoClusterTest {
    @TempDir
    Path home;

    private static K8sSettings settings(Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("jwren.k8s.image", "registry.example/jwren-worker:0.1",
                "jwren.storage", "s3://bucket/jwren/"));
        m.putAll(extra);
        return K8sSettings.from(Config.resolve(m));
    }

    @Test
    void nothingConfiguredIsSaidPlainly() {
        String why = K8sBackendProvider.noCluster(settings(Map.of()), Map.of(), new Properties(), home, home.resolve("no-token"));
        assertTrue(why.startsWith("no Kubernetes cluster to run on: no kubeconfig (looked at " + home.resolve(".kube/config")), why);
        assertTrue(why.contains("KUBECONFIG") && why.contains("jwren.k8s.master"), why);
    }

    @Test
    void anyOfTheUsualPlacesIsEnough() throws Exception {
        assertNull(K8sBackendProvider.noCluster(settings(Map.of("jwren.k8s.master", "https://10.0.0.1:6443")), Map.of(),
                new Properties(), home, home.resolve("no-token")));
        Path kubeconfig = Files.writeString(home.resolve("kc.yaml"), "apiVersion: v1\nkind: Config\n");
        assertNull(K8sBackendProvider.noCluster(settings(Map.of()), Map.of("KUBECONFIG", kubeconfig.toString()),
                new Properties(), home, home.resolve("no-token")));
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertNull(K8sBackendProvider.noCluster(settings(Map.of()), Map.of(), new Properties(), home, home.resolve("no-token")));
        Path token = Files.writeString(home.resolve("token"), "t");
        assertNull(K8sBackendProvider.noCluster(settings(Map.of()), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
                new Properties(), home.resolve("elsewhere"), token));
        assertEquals(null, K8sBackendProvider.noCluster(settings(Map.of()), Map.of("KUBERNETES_MASTER", "https://k"),
                new Properties(), home.resolve("elsewhere"), home.resolve("no-token")));
    }
}

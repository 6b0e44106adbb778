package io.jwren.testing.k8s;

import io.jwren.testing.ServerProcesses;
import io.jwren.testing.TestCache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd, kube-apiserver and kube-controller-manager as one program ({@code controlplane <server> flags...}),
 * built once with the {@code go} on PATH from the Go module proxy into the test cache: {@code k8s.io/kubernetes}
 * at {@link #KUBERNETES}, its staging modules at the matching {@code v0} release, and etcd's server module, with
 * the module files kept in this jar ({@code io/jwren/testing/k8s/controlplane/}), go.sum included, so every
 * machine builds the same thing. The first build takes minutes; later runs find the binary in the cache.
 */
final class ControlPlaneBinary {
    static final String KUBERNETES = "v1.37.2";
    private static final List<String> SOURCES = List.of("go.mod", "go.sum", "main.go");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);

    private ControlPlaneBinary() {}

    /** The built program, building it first if the cache has none for these sources. */
    static Path path() {
        Map<String, byte[]> sources = new LinkedHashMap<>();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String name : SOURCES) {
            try (InputStream in = ControlPlaneBinary.class.getResourceAsStream("controlplane/" + name)) {
                if (in == null) throw new IllegalStateException("io/jwren/testing/k8s/controlplane/" + name + " is missing from the jar");
                byte[] bytes = in.readAllBytes();
                sources.put(name, bytes);
                sha.update(name.getBytes());
                sha.update(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String dirName = "kube-controlplane-" + KUBERNETES + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        Path dir = TestCache.installOnce(dirName, d -> build(d, sources));
        return dir.resolve("controlplane");
    }

    private static void build(Path dir, Map<String, byte[]> sources) throws IOException, InterruptedException {
        Path src = Files.createDirectories(dir.resolve("src"));
        for (Map.Entry<String, byte[]> e : sources.entrySet()) Files.write(src.resolve(e.getKey()), e.getValue());
        Path log = dir.resolve("build.log");
        String go = System.getenv().getOrDefault("JWREN_TEST_GO", "go");
        System.err.println("[jwren-test] building kube-apiserver, kube-controller-manager and etcd (Kubernetes " + KUBERNETES
                + ") with `" + go + " build` into " + dir + " (once; several minutes on two cores)");
        long start = System.nanoTime();
        try {
            ServerProcesses.run(List.of(go, "build", "-o", dir.resolve("controlplane").toString(), "."), src, log,
                    BUILD_TIMEOUT, Map.of("GOFLAGS", "-mod=readonly -buildvcs=false"));
        } catch (IOException e) {
            throw new IOException("the Kubernetes tests build a real control plane with Go 1.26 or newer (`go` on PATH, "
                    + "or JWREN_TEST_GO) from the Go module proxy: " + e.getMessage(), e);
        }
        System.err.printf("[jwren-test] control plane built in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }
}

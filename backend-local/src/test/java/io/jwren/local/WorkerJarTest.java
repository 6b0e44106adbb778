package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.SerializableFunction;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.local.shipping.Shapes.Point;
import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shaded worker jar ({@code worker-runtime/target/jwren-worker.jar}) on its own: as the whole class
 * path of local worker JVMs, as {@code java -jar} for one invocation, and as the Lambda handler's jar,
 * all against S3Proxy, so the SDK's own resources must have survived shading.
 */
class WorkerJarTest {
    static Path jar;
    static S3ProxyServer s3;

    @BeforeAll
    static void start() throws Exception {
        String property = System.getProperty("jwren.test.worker-jar");
        if (property == null || !Files.isRegularFile(Path.of(property)))
            fail("the worker jar " + (property == null ? "(jwren.test.worker-jar not set)" : property) + " is missing: "
                    + "run `mvn verify`, which packages worker-runtime before these tests run");
        jar = Path.of(property).toAbsolutePath().normalize();
        s3 = S3ProxyServer.start(null);
        s3.createBucket("jwren-jar");
        S3ProxyServer.useAsDefaultCredentials();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
    }

    @TempDir
    Path scratch;

    private static Executor.Builder s3Executor(String backend, String prefix) {
        return Executor.builder().backend(backend).storage("s3://jwren-jar/" + prefix)
                .property("jwren.s3.endpoint", s3.endpoint().toString());
    }

    private static Executor processesOnTheJar(String prefix) {
        return s3Executor("processes", prefix).property("jwren.processes.classpath", jar.toString())
                .property("jwren.workers", "2").build();
    }

    @Test
    void theJarHoldsTheHandlerAndOnlyRelocatedKryoAsmAndObjenesis() throws IOException {
        List<String> names;
        try (JarFile jf = new JarFile(jar.toFile())) {
            names = Collections.list(jf.entries()).stream().map(e -> e.getName()).toList();
            assertEquals("io.jwren.worker.WorkerMain", jf.getManifest().getMainAttributes().getValue("Main-Class"));
            String storages = new String(jf.getInputStream(jf.getEntry("META-INF/services/io.jwren.spi.StorageProvider")).readAllBytes());
            assertTrue(storages.contains("io.jwren.s3.S3StorageProvider") && storages.contains("EmbeddedStorageProviders$File"), storages);
            String http = new String(jf.getInputStream(jf.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService")).readAllBytes());
            assertTrue(http.contains("software.amazon.awssdk.http.apache.ApacheSdkHttpService"), http);
        }
        for (String present : List.of("io/jwren/worker/LambdaHandler.class", "io/jwren/worker/WorkerMain.class",
                "com/amazonaws/services/lambda/runtime/RequestHandler.class",
                "io/jwren/shaded/com/esotericsoftware/kryo/Kryo.class", "io/jwren/shaded/com/esotericsoftware/minlog/Log.class",
                "io/jwren/shaded/org/objectweb/asm/ClassReader.class", "io/jwren/shaded/org/objenesis/Objenesis.class",
                "software/amazon/awssdk/services/s3/S3Client.class", "software/amazon/awssdk/regions/internal/region/endpoints.json"))
            assertTrue(names.contains(present), present + " missing from " + jar);
        List<String> unrelocated = names.stream().filter(n -> n.startsWith("com/esotericsoftware/")
                || n.startsWith("org/objectweb/asm/") || n.startsWith("org/objenesis/")).toList();
        assertEquals(List.of(), unrelocated, "left under their own names");
        List<String> signatures = names.stream().filter(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")).toList();
        assertEquals(List.of(), signatures);
    }

    @Test
    void workerJvmsRunningTheJarAloneRunAMapWithShippedClasses() throws Exception {
        try (Executor ex = processesOnTheJar("processes")) {
            List<Integer> inputs = IntStream.rangeClosed(1, 60).boxed().toList();
            MapFuture<Point> f = ex.map((Integer n) -> new Point(n, Collatz.steps(n)), inputs,
                    MapOptions.builder().chunkSize(10).build());
            assertEquals(inputs.stream().map(n -> new Point(n, Collatz.steps(n))).toList(), f.get(120, TimeUnit.SECONDS));
            // The runtime classes a call sees are the jar's: nothing else is on the workers' class path.
            String where = ex.submit(() -> Executor.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                    .get(60, TimeUnit.SECONDS);
            assertEquals(jar.toString(), Path.of(where).toString());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void userCodeWithItsOwnKryoGetsItShippedToTheShadedWorker() throws Exception {
        // Looked up by name, so that this test class does not name Kryo code and its other maps ship no Kryo.
        SerializableFunction<Integer, String> fn = (SerializableFunction<Integer, String>)
                Class.forName("io.jwren.local.jobs.KryoJob").getMethod("doubleViaKryo").invoke(null);
        try (Executor ex = processesOnTheJar("own-kryo")) {
            assertEquals(List.of("42 via jwren-job", "84 via jwren-job"), ex.map(fn, List.of(21, 42)).get(120, TimeUnit.SECONDS));
        }
    }

    private record Run(int exit, String output) {}

    /** Runs {@code java <options> -jar jwren-worker.jar <args>} with the test credentials in its environment. */
    private Run javaJar(List<String> options, List<String> args, Map<String, String> env, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        Path log = scratch.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("java -jar did not finish: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    @Test
    void javaDashJarRunsTheInvocationsOfAStagedJob() throws Exception {
        try (Executor ex = s3Executor("stage-only", "cli").build()) {
            MapFuture<Point> f = ex.map((Integer n) -> {
                System.out.println("point " + n);
                return new Point(n, -n);
            }, List.of(1, 2, 3, 4, 5), MapOptions.builder().chunkSize(3).build());
            // Invocation 0 with -D settings and --invocation; invocation 1 with JWREN_* and JOB_COMPLETION_INDEX.
            Run first = javaJar(List.of("-Djwren.storage=s3://jwren-jar/cli", "-Djwren.s3.endpoint=" + s3.endpoint()),
                    List.of("--job", f.jobId(), "--invocation", "0"), Map.of(), "invocation-0");
            assertEquals(0, first.exit(), first.output());
            assertTrue(first.output().contains("point 3"), "the calls' output goes to stderr: " + first.output());
            Run second = javaJar(List.of(), List.of("--job", f.jobId()), Map.of("JWREN_STORAGE", "s3://jwren-jar/cli",
                    "JWREN_S3_ENDPOINT", s3.endpoint().toString(), "JOB_COMPLETION_INDEX", "1"), "invocation-1");
            assertEquals(0, second.exit(), second.output());
            assertEquals(List.of(new Point(1, -1), new Point(2, -2), new Point(3, -3), new Point(4, -4), new Point(5, -5)),
                    f.get(60, TimeUnit.SECONDS));

            Run none = javaJar(List.of("-Djwren.storage=s3://jwren-jar/cli", "-Djwren.s3.endpoint=" + s3.endpoint()),
                    List.of("--job", f.jobId(), "--invocation", "2"), Map.of(), "invocation-2");
            assertEquals(2, none.exit(), none.output());
            assertTrue(none.output().contains("has 2 invocations; 2 is not one"), none.output());
        }
    }

    @Test
    void theLambdaHandlerLoadedFromTheJarAloneRunsAnInvocation() throws Exception {
        try (Executor ex = s3Executor("stage-only", "handler").build();
             URLClassLoader isolated = new URLClassLoader("worker-jar", new URL[] {jar.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            MapFuture<Integer> f = ex.map((Integer n) -> n * 7, List.of(1, 2, 3), MapOptions.builder().chunkSize(3).build());
            // Called as a host would, from a thread whose context class loader is the host's (this test's).
            Class<?> handlerClass = isolated.loadClass("io.jwren.worker.LambdaHandler");
            Method handle = handlerClass.getMethod("handleRequest", Map.class,
                    isolated.loadClass("com.amazonaws.services.lambda.runtime.Context"));
            Map<String, Object> payload = Map.of("jobId", f.jobId(), "invocation", 0,
                    "config", Map.of("jwren.storage", "s3://jwren-jar/handler", "jwren.s3.endpoint", s3.endpoint().toString()));
            Map<?, ?> response = (Map<?, ?>) handle.invoke(handlerClass.getConstructor().newInstance(), payload, null);
            assertEquals("ok", response.get("status"), response.toString());
            assertEquals(3, response.get("calls"), response.toString());
            assertEquals(List.of(7, 14, 21), f.get(60, TimeUnit.SECONDS));
        }
    }
}

package io.jwren.testing.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * serverless-offline serving the real worker jar as a Lambda function, started and stopped by a test:
 * the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) on {@link #endpoint()},
 * for AWS SDK clients with {@code endpointOverride}. See shared LAMBDA.md (A) for what it does and does not
 * emulate: one invocation at a time, a new JVM per call (~1 s), {@code Event} answers 202 and really runs
 * the handler, a handler exception comes back as 200 with an EMPTY body.
 *
 * <p>Function instances: the first invocation of an instance unpacks the whole jar (~8-15 s here), which
 * {@link #start} pays with a warm-up call. Invocations that arrive while the instance is busy make the
 * emulator create another instance, which unpacks the jar again: three concurrent calls after the warm-up
 * took 2.1, 5.3 and 11.1 s (measured). A test that invokes with concurrency N should call
 * {@link #warmUp(int) warmUp(N)} first, or allow for that delay in its timeouts. Idle instances are kept an
 * hour (the emulator's default of 60 s would make them unpack again).
 *
 * <p>{@code serverless@3.40.0} and {@code serverless-offline@13.10.1} are installed with npm once into
 * {@link EmulatorFiles#cacheRoot()} (under a file lock, so concurrent test JVMs install once), and Groovy
 * 2.5.23 is overlaid into its {@code java-invoke-local-all.jar}, whose Groovy 2.5.9 fails on JDK 17.
 *
 * <pre>{@code
 * try (ServerlessOffline lambda = ServerlessOffline.start(Map.of("AWS_ACCESS_KEY_ID", ..., "JWREN_S3_ENDPOINT", ...))) {
 *     LambdaClient client = LambdaClient.builder().endpointOverride(lambda.endpoint()).region(Region.of(lambda.region()))...;
 *     client.invoke(b -> b.functionName(lambda.functionName()).payload(...));
 * }
 * }</pre>
 */
public final class ServerlessOffline implements AutoCloseable {
    public static final String SERVERLESS_VERSION = "3.40.0";
    public static final String OFFLINE_VERSION = "13.10.1";
    public static final String GROOVY_VERSION = "2.5.23";
    public static final String HANDLER = "io.jwren.worker.LambdaHandler::handleRequest";
    static final String SERVICE = "jwren";
    static final String STAGE = "test";
    static final String FUNCTION_KEY = "worker";
    static final String REGION = "us-east-1";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path serviceDir;
    private final Path log;
    private final int lambdaPort;

    private ServerlessOffline(Process process, Path serviceDir, Path log, int lambdaPort) {
        this.process = process;
        this.serviceDir = serviceDir;
        this.log = log;
        this.lambdaPort = lambdaPort;
    }

    /** The worker jar of this build ({@link EmulatorFiles#workerJar()}) as the function. */
    public static ServerlessOffline start(Map<String, String> functionEnvironment) {
        return start(EmulatorFiles.workerJar(), functionEnvironment);
    }

    /**
     * Installs the emulator if needed, starts it with {@code artifact} as function {@link #functionName()}
     * and waits until it answers.
     *
     * @param functionEnvironment the function's own environment (like its configuration and role in AWS):
     *                            {@code JWREN_*} settings, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
     *                            for the storage; never part of a payload
     */
    public static ServerlessOffline start(Path artifact, Map<String, String> functionEnvironment) {
        Path install = install();
        Path serviceDir = null;
        Process process = null;
        try {
            serviceDir = Files.createTempDirectory("jwren-serverless-offline-");
            Files.createSymbolicLink(serviceDir.resolve("node_modules"), install.resolve("node_modules"));
            // lambda, http, websocket and alb ports, and the port java-invoke-local would try first for a
            // "java server": a free one, so that no stranger on its default 8080 gets our invocations.
            int[] ports = EmulatorFiles.freePorts(5);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("LANG", "C.UTF-8");
            env.putAll(functionEnvironment);
            Files.writeString(serviceDir.resolve("serverless.yml"), serverlessYml(artifact, env, ports));
            Path log = serviceDir.resolve("offline.log");
            ProcessBuilder pb = new ProcessBuilder(List.of(nodeRuntime.node(),
                    install.resolve("node_modules/serverless/bin/serverless.js").toString(), "offline", "start"))
                    .directory(serviceDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> penv = pb.environment();
            // The function's JVMs are started as `java` from PATH: make that this test's JDK.
            penv.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                    + penv.getOrDefault("PATH", "/usr/bin:/bin"));
            withNodeOnPath(pb);
            penv.put("JAVA_OFFLINE_SERVER", String.valueOf(ports[4]));
            penv.put("SLS_TELEMETRY_DISABLED", "1");
            penv.put("SLS_NOTIFICATIONS_MODE", "off");
            penv.put("SLS_DEPRECATION_DISABLE", "*");
            process = pb.start();
            process.getOutputStream().close();
            ServerlessOffline offline = new ServerlessOffline(process, serviceDir, log, ports[0]);
            offline.awaitReady();
            offline.warmUp(1);
            return offline;
        } catch (IOException e) {
            EmulatorFiles.destroyTree(process, Duration.ofSeconds(5));
            EmulatorFiles.deleteTree(serviceDir);
            throw new UncheckedIOException("could not start serverless-offline", e);
        } catch (RuntimeException | Error e) {
            EmulatorFiles.destroyTree(process, Duration.ofSeconds(5));
            // keep the service dir: its offline.log is named in the message
            throw e;
        }
    }

    static String serverlessYml(Path artifact, Map<String, String> env, int[] ports) {
        StringBuilder y = new StringBuilder();
        y.append("service: ").append(SERVICE).append('\n');
        y.append("frameworkVersion: '3'\n");
        y.append("provider:\n  name: aws\n  runtime: java17\n");
        y.append("  stage: ").append(STAGE).append("\n  region: ").append(REGION).append('\n');
        // Without a long timeout a queue of Event calls passes the default 6 s and the emulator dies.
        y.append("  timeout: 900\n");
        y.append("package:\n  artifact: ").append(EmulatorFiles.yamlString(artifact.toAbsolutePath().toString())).append('\n');
        y.append("functions:\n  ").append(FUNCTION_KEY).append(":\n    handler: ").append(HANDLER).append('\n');
        y.append("    environment:\n");
        for (Map.Entry<String, String> e : env.entrySet())
            y.append("      ").append(e.getKey()).append(": ").append(EmulatorFiles.yamlString(e.getValue())).append('\n');
        y.append("plugins:\n  - serverless-offline\n");
        y.append("custom:\n  serverless-offline:\n    host: 127.0.0.1\n");
        y.append("    lambdaPort: ").append(ports[0]).append('\n');
        y.append("    httpPort: ").append(ports[1]).append('\n');
        y.append("    websocketPort: ").append(ports[2]).append('\n');
        y.append("    albPort: ").append(ports[3]).append('\n');
        // An idle function instance is dropped after 60 s by default, and the next one unpacks the jar again.
        y.append("    terminateIdleLambdaTime: 3600\n");
        return y.toString();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // An unknown function answers 404 without starting a JVM: the Invoke API is up.
        HttpRequest probe = HttpRequest.newBuilder(endpoint().resolve("/2015-03-31/functions/jwren-ready-probe/invocations"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive())
                throw new IllegalStateException("serverless-offline exited with " + process.exitValue() + " before it "
                        + "answered; its output (" + log + "):\n" + EmulatorFiles.tail(log, 4000));
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 404) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting serverless-offline", e);
            }
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("serverless-offline did not answer on " + endpoint() + " within "
                        + START_TIMEOUT.toSeconds() + " s; its output (" + log + "):\n" + EmulatorFiles.tail(log, 4000));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting serverless-offline", e);
            }
        }
    }

    /**
     * Sends {@code concurrent} invocations at once that the handler refuses at once (no jobId), so that
     * that many function instances have unpacked the artifact before a test's own invocations (the first
     * invocation of an instance unpacks the whole jar, ~8-15 s here, before the handler starts, which could
     * make it look lost). Each answers 200 with an empty body, as every handler failure does here.
     */
    public void warmUp(int concurrent) {
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/2015-03-31/functions/" + functionName() + "/invocations"))
                .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.ofString("{\"jwren-warm-up\":true}")).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < concurrent; i++) calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        for (java.util.concurrent.CompletableFuture<HttpResponse<Void>> call : calls) {
            try {
                int status = call.get().statusCode();
                if (status != 200)
                    throw new IllegalStateException("serverless-offline's warm-up invocation answered " + status + "; its output ("
                            + log + "):\n" + EmulatorFiles.tail(log, 4000));
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("serverless-offline's warm-up invocation failed: " + e.getCause() + "; its output ("
                        + log + "):\n" + EmulatorFiles.tail(log, 4000), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while warming up serverless-offline", e);
            }
        }
        System.err.printf("[jwren-test] serverless-offline warm-up of %d instance(s) (each unpacks the artifact once) took %.1f s%n",
                concurrent, (System.nanoTime() - start) / 1e9);
    }

    /** The Lambda API endpoint, for {@code endpointOverride}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + lambdaPort);
    }

    /** The deployed name of the function: {@code jwren-test-worker}. */
    public String functionName() {
        return SERVICE + "-" + STAGE + "-" + FUNCTION_KEY;
    }

    public String region() {
        return REGION;
    }

    /** The emulator's output, which includes what the function's JVMs printed. */
    public Path log() {
        return log;
    }

    public String logText() {
        return EmulatorFiles.tail(log, Integer.MAX_VALUE);
    }

    public long pid() {
        return process.pid();
    }

    /** Stops node and the function JVMs it started, by pid, and removes the service directory. */
    @Override
    public void close() {
        EmulatorFiles.destroyTree(process, Duration.ofSeconds(10));
        EmulatorFiles.deleteTree(serviceDir);
    }

    // ---------------------------------------------------------------- installation

    private static final Object INSTALL_LOCK = new Object();

    /**
     * Makes sure the pinned npm packages are installed in the cache, with the Groovy overlay applied, and
     * returns their directory. Installs only when missing; a file lock keeps two JVMs from installing at once.
     */
    private static volatile NodeRuntime nodeRuntime;

    public static Path install() {
        Path root = EmulatorFiles.cacheRoot();
        Path dir = root.resolve("serverless-offline-" + SERVERLESS_VERSION + "-" + OFFLINE_VERSION);
        synchronized (INSTALL_LOCK) {
            try {
                Files.createDirectories(root);
                try (FileChannel ch = FileChannel.open(root.resolve(dir.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (nodeRuntime == null) nodeRuntime = NodeRuntime.find(root);
                    Path installed = dir.resolve(".installed");
                    if (!Files.exists(installed)) {
                        EmulatorFiles.deleteTree(dir);
                        Files.createDirectories(dir);
                        npmInstall(dir);
                        Files.writeString(installed, "serverless@" + SERVERLESS_VERSION + " serverless-offline@" + OFFLINE_VERSION + "\n");
                    }
                    Path overlaid = dir.resolve(".groovy-" + GROOVY_VERSION + "-overlay");
                    if (!Files.exists(overlaid)) {
                        overlayGroovy(dir.resolve("node_modules/java-invoke-local/build/libs/java-invoke-local-all.jar"),
                                EmulatorFiles.jars("groovy"));
                        Files.writeString(overlaid, "groovy " + GROOVY_VERSION + " overlaid\n");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not install serverless-offline into " + dir + " (the Lambda emulator "
                        + "tests need Node.js 18+ and npm on PATH, or the npm registry reachable to fetch them once)", e);
            }
        }
        return dir;
    }

    /** A fetched node goes first on PATH, for whatever the tools start as plain {@code node}. */
    private static void withNodeOnPath(ProcessBuilder pb) {
        Path node = Path.of(nodeRuntime.node());
        if (node.getParent() == null) return; // the one on PATH
        Map<String, String> env = pb.environment();
        env.put("PATH", node.getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private static void npmInstall(Path dir) throws IOException {
        Files.writeString(dir.resolve("package.json"), "{\n  \"name\": \"jwren-lambda-emulator\",\n  \"private\": true,\n"
                + "  \"version\": \"0.0.0\",\n  \"dependencies\": {\n    \"serverless\": \"" + SERVERLESS_VERSION + "\",\n"
                + "    \"serverless-offline\": \"" + OFFLINE_VERSION + "\"\n  }\n}\n");
        Path log = dir.resolve("npm-install.log");
        System.err.println("[jwren-test] installing serverless@" + SERVERLESS_VERSION + " and serverless-offline@"
                + OFFLINE_VERSION + " with npm into " + dir + " (once; about a minute)");
        long start = System.nanoTime();
        List<String> command = new java.util.ArrayList<>(nodeRuntime.npmCommand());
        command.addAll(List.of("install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=warn"));
        ProcessBuilder npm = new ProcessBuilder(command);
        withNodeOnPath(npm);
        Process p = npm.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                EmulatorFiles.destroyTree(p, Duration.ofSeconds(5));
                throw new IllegalStateException("npm install did not finish in " + INSTALL_TIMEOUT.toMinutes()
                        + " minutes; its output (" + log + "):\n" + EmulatorFiles.tail(log, 4000));
            }
        } catch (InterruptedException e) {
            EmulatorFiles.destroyTree(p, Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm install", e);
        }
        if (p.exitValue() != 0)
            throw new IllegalStateException("npm install of serverless@" + SERVERLESS_VERSION + " and serverless-offline@"
                    + OFFLINE_VERSION + " failed with exit code " + p.exitValue() + " (is the npm registry reachable?); "
                    + "its output (" + log + "):\n" + EmulatorFiles.tail(log, 4000));
        if (!Files.isRegularFile(dir.resolve("node_modules/java-invoke-local/build/libs/java-invoke-local-all.jar")))
            throw new IllegalStateException("npm install left no java-invoke-local-all.jar under " + dir);
        System.err.printf("[jwren-test] npm install took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Rewrites {@code target} with the entries of {@code overlays} replacing or adding to its own, as
     * {@code jar uf} would: the classes, resources and META-INF data of Groovy, but not their manifests,
     * signatures, module descriptors or {@code INDEX.LIST} (a jar index naming only Groovy's packages would
     * hide the runner's own classes). Written beside the target, then moved over it.
     */
    static void overlayGroovy(Path target, List<Path> overlays) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Set<String> written = new HashSet<>();
        try (OutputStream fos = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(fos)) {
            try (JarFile jar = new JarFile(target.toFile())) {
                JarEntry manifest = jar.getJarEntry("META-INF/MANIFEST.MF");
                if (manifest != null && written.add(manifest.getName())) copy(jar.getInputStream(manifest), manifest.getName(), out);
            }
            for (Path overlay : overlays) {
                try (JarFile jar = new JarFile(overlay.toFile())) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String name = e.getName();
                        if (skipped(name) || !written.add(name)) continue;
                        copy(jar.getInputStream(e), name, out);
                    }
                }
            }
            try (JarFile jar = new JarFile(target.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    if (!written.add(e.getName())) continue;
                    copy(jar.getInputStream(e), e.getName(), out);
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean skipped(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF") || upper.equals("META-INF/INDEX.LIST")
                || upper.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)") || name.endsWith("module-info.class");
    }

    private static void copy(InputStream in, String name, JarOutputStream out) throws IOException {
        try (in) {
            out.putNextEntry(new ZipEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}

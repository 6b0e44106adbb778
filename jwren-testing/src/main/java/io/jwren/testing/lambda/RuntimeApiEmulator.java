package io.jwren.testing.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The worker jar under the official AWS Lambda runtime interface client (RIC 2.9.0), the component that
 * runs Java handlers inside Lambda, polling a Runtime API served by Quarkus' {@code MockEventServer}
 * (3.34.2): shared LAMBDA.md (B). Everything runs in JVMs of its own, stopped by pid in {@link #close()}:
 * the event server on its own class path (Vert.x 4 / Netty 4.1, which the project's Netty 4.2 must not
 * meet), and {@code workers} RIC JVMs with the worker jar and the RIC jars.
 *
 * <p>The event server ignores function names and answers every invocation synchronously (no {@code Event}
 * semantics); a handler exception comes back as HTTP 500 with the error JSON. Calls run concurrently,
 * up to the number of workers.
 */
public final class RuntimeApiEmulator implements AutoCloseable {
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Compiled and run by the java launcher in source-file mode: no build step of ours sees Vert.x. */
    private static final String SERVER_MAIN = """
            import io.quarkus.amazon.lambda.runtime.MockEventServer;

            public class JwrenEventServer {
                public static void main(String[] args) throws Exception {
                    MockEventServer server = new MockEventServer();
                    server.start(Integer.parseInt(args[0]));
                    System.out.println("jwren event server listening on " + args[0]);
                    System.out.flush();
                    // Runs until the test closes our standard input (or kills us).
                    while (System.in.read() != -1) { }
                    server.close();
                    System.exit(0);
                }
            }
            """;

    private final Path workDir;
    private final Process server;
    private final List<Process> workers = new ArrayList<>();
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RuntimeApiEmulator(Path workDir, Process server, int port) {
        this.workDir = workDir;
        this.server = server;
        this.port = port;
    }

    /** The worker jar of this build under {@code workers} runtime interface clients. */
    public static RuntimeApiEmulator start(int workers, Map<String, String> functionEnvironment) {
        return start(EmulatorFiles.workerJar(), workers, functionEnvironment);
    }

    /**
     * @param functionEnvironment the workers' environment, as a function's configuration and role would give it
     */
    public static RuntimeApiEmulator start(Path workerJar, int workers, Map<String, String> functionEnvironment) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1");
        Path workDir = null;
        RuntimeApiEmulator emulator = null;
        try {
            workDir = Files.createTempDirectory("jwren-runtime-api-");
            Path main = workDir.resolve("JwrenEventServer.java");
            Files.writeString(main, SERVER_MAIN);
            int port = EmulatorFiles.freePorts(1)[0];
            String cp = EmulatorFiles.jars("event-server").stream().map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
            Path serverLog = workDir.resolve("event-server.log");
            Process server = new ProcessBuilder(EmulatorFiles.java(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-cp", cp, main.toString(), String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
            emulator = new RuntimeApiEmulator(workDir, server, port);
            emulator.awaitServer(serverLog);

            Path jni = extractJni(workDir);
            String ricCp = workerJar.toAbsolutePath() + java.io.File.pathSeparator + EmulatorFiles.jars("ric").stream()
                    .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
            for (int i = 0; i < workers; i++) {
                Path log = workDir.resolve("worker-" + i + ".log");
                ProcessBuilder pb = new ProcessBuilder(EmulatorFiles.java(), "-XX:+UseSerialGC",
                        "-D" + JNI_PROPERTY + "=" + jni, "-cp", ricCp, RIC_MAIN, ServerlessOffline.HANDLER)
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                Map<String, String> env = pb.environment();
                env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port + "/_lambda_");
                env.put("AWS_LAMBDA_FUNCTION_NAME", "jwren-ric-worker");
                env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
                env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
                env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/jwren-ric-worker");
                env.put("AWS_LAMBDA_LOG_STREAM_NAME", "jwren-ric-" + i);
                env.put("AWS_REGION", "us-east-1");
                env.put("LANG", "C.UTF-8");
                env.putAll(functionEnvironment);
                Process worker = pb.start();
                worker.getOutputStream().close();
                emulator.workers.add(worker);
            }
            return emulator;
        } catch (IOException e) {
            if (emulator != null) emulator.close();
            else EmulatorFiles.deleteTree(workDir);
            throw new UncheckedIOException("could not start the Runtime API emulator", e);
        } catch (RuntimeException | Error e) {
            if (emulator != null) emulator.stopProcesses();
            throw e;
        }
    }

    /**
     * The runtime client would unpack its native library to one fixed file, /tmp/.libaws-lambda-jni.so, and
     * two clients starting together race on it (one died with SIGBUS): unpack it once, hand every worker
     * its path.
     */
    static Path extractJni(Path dir) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String name = "jni/libaws-lambda-jni.linux-" + (arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64") + ".so";
        Path ric = EmulatorFiles.jars("ric").stream()
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no runtime interface client jar"));
        Path so = dir.resolve("libaws-lambda-jni.so");
        try (JarFile jar = new JarFile(ric.toFile()); InputStream in = jar.getInputStream(jar.getEntry(name))) {
            Files.copy(in, so);
        }
        return so;
    }

    private void awaitServer(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!server.isAlive())
                throw new IllegalStateException("the Runtime API emulator exited with " + server.exitValue()
                        + "; its output:\n" + EmulatorFiles.tail(log, 4000));
            if (EmulatorFiles.tail(log, 10_000).contains("jwren event server listening")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return;
                } catch (IOException notYet) {
                    // retried below
                }
            }
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the Runtime API emulator did not start in " + START_TIMEOUT.toSeconds()
                        + " s; its output:\n" + EmulatorFiles.tail(log, 4000));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** An answer of the emulator: HTTP status and body. */
    public record Response(int status, String body) {}

    /**
     * Posts one invocation event and waits for the handler's answer (200 with the response JSON, or 500 with
     * the error JSON). The first call waits for a worker JVM to start polling.
     */
    public Response invoke(String payloadJson, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(eventEndpoint()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payloadJson)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("invocation failed; worker output:\n" + workerLogs(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Where invocation events are posted (the emulator's own endpoint, not the Lambda Invoke API). */
    public URI eventEndpoint() {
        return URI.create("http://127.0.0.1:" + port + "/_lambda_");
    }

    /** The value the workers get as {@code AWS_LAMBDA_RUNTIME_API}. */
    public String runtimeApi() {
        return "127.0.0.1:" + port + "/_lambda_";
    }

    public List<Long> workerPids() {
        return workers.stream().map(Process::pid).toList();
    }

    public boolean workersAlive() {
        return workers.stream().allMatch(Process::isAlive);
    }

    /** What the workers printed, for failure messages. */
    public String workerLogs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < workers.size(); i++)
            b.append("--- worker ").append(i).append(" (pid ").append(workers.get(i).pid()).append(")\n")
                    .append(EmulatorFiles.tail(workDir.resolve("worker-" + i + ".log"), 3000)).append('\n');
        return b.toString();
    }

    private void stopProcesses() {
        for (Process w : workers) EmulatorFiles.destroyTree(w, Duration.ofSeconds(5));
        try {
            server.getOutputStream().close();
        } catch (IOException ignored) {
            // killed below
        }
        EmulatorFiles.destroyTree(server, Duration.ofSeconds(5));
    }

    /** Stops the workers and the event server by pid and removes the work directory. */
    @Override
    public void close() {
        stopProcesses();
        EmulatorFiles.deleteTree(workDir);
    }
}

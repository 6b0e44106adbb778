package io.jwren.consumer;

import io.jwren.testing.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Applications built outside this build against the installed jwren artifacts (target/it-repo, filled by
 * maven-invoker-plugin's install goal), run the ways users run them, each mapping on the processes backend over
 * S3Proxy. The squares app's own library versions differ from jwren's (AWS SDK auth 2.54.2, Netty 4.1, Jackson 2):
 * the worker JVMs must get the jars the application actually loaded.
 */
class ConsumerAppsIT {
    static final String BUCKET = "jwren-apps";
    static final String SQUARES = "squares " + IntStream.range(0, 20).map(x -> x * x).boxed().toList();
    static S3ProxyServer s3;
    static Path app;

    @BeforeAll
    static void buildTheApp() throws Exception {
        app = copyApp(Path.of(System.getProperty("jwren.test.apps"), "squares-app"), "squares-app");
        maven(app, "package");
        s3 = S3ProxyServer.start(null);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
    }

    @Test
    void plainJavaClassPathWithEveryJar() throws Exception {
        String cp = app.resolve("target/classes") + File.pathSeparator + libJars();
        assertMapsOnProcesses("java -cp", List.of(java(), "-cp", cp), "demo.SquaresApp");
    }

    @Test
    void javaJarWithAManifestClassPath() throws Exception {
        assertMapsOnProcesses("java -jar (manifest Class-Path)", List.of(java(), "-jar"),
                app.resolve("target/squares-app-1.0.jar").toString());
    }

    @Test
    void anUberJarMadeByMavenShade() throws Exception {
        assertMapsOnProcesses("uber-jar (maven-shade)", List.of(java(), "-jar"), alone("target/squares-app-1.0-shaded.jar"));
    }

    @Test
    void aSpringBootFatJar() throws Exception {
        assertMapsOnProcesses("Spring Boot fat jar", List.of(java(), "-jar"), alone("target/squares-app-1.0-boot.jar"));
    }

    @Test
    void jshellWithAClassPath() throws Exception {
        Path script = app.resolve("squares.jsh");
        Files.writeString(script, String.join("\n",
                "import io.jwren.Executor;",
                "import io.jwren.MapOptions;",
                "int offset = 0;",
                "try (Executor ex = Executor.fromConfig()) {",
                "    System.out.println(\"squares \" + ex.map((Integer x) -> x * x + offset, java.util.stream.IntStream.range(0, 20).boxed().toList(),",
                "            MapOptions.builder().chunkSize(5).build()).get());",
                "    System.out.println(\"worker class path \" + ex.submit(() -> System.getProperty(\"java.class.path\")).get());",
                "}",
                "/exit", ""));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                "--class-path", libJars()));
        for (String d : settings("jshell")) command.add("-R" + d);
        command.add(script.toString());
        assertOutput("jshell --class-path", command);
    }

    /** examples/app-template, as a user copies it: it builds against jwren-bom and runs on the embedded default. */
    @Test
    void theAppTemplateBuildsAndRuns() throws Exception {
        Path template = copyApp(Path.of(System.getProperty("jwren.test.template")), "app-template");
        Files.writeString(template.resolve("pom.xml"), Files.readString(template.resolve("pom.xml"))
                .replaceFirst("<jwren.version>[^<]*</jwren.version>", "<jwren.version>" + System.getProperty("jwren.test.version") + "</jwren.version>"));
        maven(template, "package");
        Path log = template.resolve("run.log");
        Process p = new ProcessBuilder(java(), "-Djwren.storage=" + template.resolve("store").toUri(), "-jar", "target/my-jwren-app-1.0.jar")
                .directory(template.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the template app still runs after 5 minutes");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("sum of squares 1..1000 = 333833500 "), out);
    }

    /**
     * {@code jwren deploy lambda} without {@code --jar}, run from a folder outside any checkout: it sends the worker
     * artifact (io.jwren:worker-runtime:<version>:jar:worker), found beside the CLI jar, else in the local Maven
     * repository. The control plane is a recorder (see {@link DeployRecorder}): this checks which jar goes out.
     */
    @Test
    void deployLambdaFromOutsideTheRepositorySendsTheWorkerArtifact() throws Exception {
        String version = System.getProperty("jwren.test.version");
        byte[] artifact = Files.readAllBytes(Path.of(System.getProperty("jwren.test.it-repo"), "io", "jwren", "worker-runtime",
                version, "worker-runtime-" + version + "-worker.jar"));
        Path dist = Path.of(System.getProperty("jwren.test.work"), "cli-dist");
        Path cli = Path.of(System.getProperty("jwren.test.cli"));
        copyTree(cli.resolve("lib"), dist.resolve("lib"));
        Files.copy(cli.resolve("jwren.jar"), dist.resolve("jwren.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(cli.resolve("jwren-worker.jar"), dist.resolve("jwren-worker.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path elsewhere = Files.createTempDirectory("jwren-deploy-");
        try (DeployRecorder lambda = new DeployRecorder()) {
            deploy(lambda, dist, elsewhere, "beside-the-cli", List.of());
            assertEquals(sha256(artifact), sha256(lambda.code("beside-the-cli")), "the jar beside jwren.jar is the artifact");

            Files.delete(dist.resolve("jwren-worker.jar"));
            deploy(lambda, dist, elsewhere, "from-the-repository", List.of("-Dmaven.repo.local=" + System.getProperty("jwren.test.it-repo")));
            assertEquals(sha256(artifact), sha256(lambda.code("from-the-repository")), "the artifact from the Maven repository");
        }
    }

    private static void deploy(DeployRecorder lambda, Path dist, Path cwd, String function, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", dist.resolve("jwren.jar").toString(), "deploy", "lambda", "--function", function,
                "--role", "arn:aws:iam::123456789012:role/jwren-worker", "--storage", "s3://jwren-deploy/jobs",
                "--region", "us-east-1", "--endpoint", lambda.endpoint().toString()));
        Path log = Files.createTempFile(cwd, "deploy-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "example-secret");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "jwren deploy lambda still runs after 5 minutes");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> "jwren deploy lambda --function " + function + " failed:\n" + out);
        assertTrue(out.contains("deployed "), out);
    }

    private static String sha256(byte[] bytes) throws Exception {
        if (bytes == null) return "(none sent)";
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs the app with the processes backend over S3Proxy and checks every square came back. */
    private static void assertMapsOnProcesses(String how, List<String> java, String mainOrJar) throws Exception {
        List<String> command = new ArrayList<>(java.subList(0, 1));
        command.addAll(settings(how.replaceAll("[^a-z]+", "-")));
        command.addAll(java.subList(1, java.size()));
        command.add(mainOrJar);
        assertOutput(how, command);
    }

    private static void assertOutput(String how, List<String> command) throws Exception {
        Path log = Files.createTempFile(app, "run-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(how + ": still running after 5 minutes; output:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), () -> how + " exited " + p.exitValue() + "; output:\n" + out);
        assertTrue(out.lines().anyMatch(SQUARES::equals), () -> how + ": no '" + SQUARES + "' in\n" + out);
        String workerClassPath = out.lines().filter(l -> l.startsWith("worker class path ")).findFirst()
                .orElseThrow(() -> new AssertionError(how + ": no worker class path in\n" + out))
                .substring("worker class path ".length());
        System.err.println("[jwren-test] " + how + ": worker class path\n  "
                + String.join("\n  ", workerClassPath.split(File.pathSeparator)));
    }

    /** -D settings: the processes backend with two worker JVMs over S3Proxy, under a prefix of its own. */
    private static List<String> settings(String prefix) {
        return Map.of(
                "jwren.backend", "processes",
                "jwren.workers", "2",
                "jwren.storage", "s3://" + BUCKET + "/" + prefix,
                "jwren.s3.endpoint", s3.endpoint().toString(),
                "jwren.s3.region", "us-east-1",
                "jwren.s3.path-style", "true",
                "jwren.progress", "false").entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * A copy of an all-in-one jar in a folder of its own: its manifest still names lib/ (the app's jar plugin
     * writes that Class-Path), and beside target/lib the JVM would load the libraries from there instead.
     */
    private static String alone(String jar) throws IOException {
        Path source = app.resolve(jar);
        Path dir = Files.createDirectories(app.resolve("alone-" + source.getFileName().toString().replace(".jar", "")));
        return Files.copy(source, dir.resolve(source.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING).toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String libJars() throws IOException {
        try (Stream<Path> jars = Files.list(app.resolve("target/lib"))) {
            return jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        }
    }

    /** A fresh copy of an application's sources with this build's jwren version in its pom. */
    static Path copyApp(Path source, String name) throws IOException {
        Path target = Path.of(System.getProperty("jwren.test.work")).resolve(name);
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (f.getFileName().toString().equals("pom.xml")) {
                    Files.writeString(to, Files.readString(f).replace("@jwren.version@", System.getProperty("jwren.test.version")));
                } else if (!f.startsWith(source.resolve("target"))) {
                    Files.copy(f, to);
                }
            }
        }
        return target;
    }

    /**
     * Builds an application with Maven against target/it-repo; libraries it lacks come from the user's own
     * repository (releases only: never a stale jwren snapshot), then Maven Central.
     */
    static void maven(Path project, String... goals) throws Exception {
        Path settings = project.resolve("it-settings.xml");
        String userRepo = Path.of(System.getProperty("jwren.test.user-repo")).toUri().toString();
        String repo = "<id>user-repo</id><url>" + userRepo + "</url>"
                + "<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        Files.writeString(settings, "<settings><profiles><profile><id>it</id>"
                + "<repositories><repository>" + repo + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repo + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>it</activeProfile></activeProfiles></settings>");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("jwren.test.maven-home"), "bin", "mvn").toString(),
                "-B", "-ntp", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + System.getProperty("jwren.test.it-repo")));
        command.addAll(List.of(goals));
        Path log = project.resolve("maven.log");
        Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("mvn " + String.join(" ", goals) + " in " + project + " still running after 10 minutes:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0) fail("mvn " + String.join(" ", goals) + " in " + project + " failed:\n" + Files.readString(log));
    }
}

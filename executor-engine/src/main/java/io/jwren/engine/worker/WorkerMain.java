package io.jwren.engine.worker;

import io.jwren.Config;
import io.jwren.spi.Providers;
import io.jwren.engine.EngineSettings;
import io.jwren.engine.ProcessId;
import io.jwren.engine.closure.BundleCache;
import io.jwren.engine.protocol.ObjectSigner;
import io.jwren.spi.Invocation;
import io.jwren.spi.Storage;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The worker JVM's entry point, for local worker processes, containers and the command line.
 *
 * <pre>
 * worker --serve                         read "RUN &lt;invocation&gt;" lines on stdin, answer on stdout; a first
 *                                        "KEY &lt;base64&gt;" line hands it the executor's signing key, "JOB &lt;job&gt;
 *                                        &lt;base64&gt;" hands over a job's inline objects, "END &lt;job&gt;" drops them
 * worker --job ID --invocation N         run one invocation and exit (containers; N may come from
 *        [--attempt A]                   JOB_COMPLETION_INDEX, A from JWREN_ATTEMPT, which a Kubernetes pod
 *                                        fills from its index's failure count; default 0)
 * </pre>
 * Storage and its settings come from the jwren config chain ({@code -Djwren.storage=...}). User output
 * goes to stderr; stdout carries only protocol lines.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws IOException {
        PrintStream control = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        String job = null;
        String invocation = null;
        String attempt = null;
        boolean serve = false;
        String workerId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--job" -> job = value(args, ++i);
                case "--invocation" -> invocation = value(args, ++i);
                case "--attempt" -> attempt = value(args, ++i);
                case "--worker-id" -> workerId = value(args, ++i);
                default -> usage(stderr, "unknown argument '" + args[i] + "'");
            }
        }
        if (!serve && job == null) usage(stderr, "give --serve, or --job ID --invocation N");
        if (invocation == null) invocation = System.getenv("JOB_COMPLETION_INDEX");
        if (attempt == null || attempt.isBlank()) attempt = System.getenv("JWREN_ATTEMPT");
        if (attempt == null || attempt.isBlank()) attempt = "0"; // an empty downward-API value: no failure yet
        if (workerId == null) workerId = defaultWorkerId();

        Config config = Config.resolve(Map.of());
        Storage storage = Providers.storage(config.get("jwren.storage"), config);
        Path cache = BundleCache.directory(config);
        LogCapture log = LogCapture.install(stderr);
        InvocationRunner runner = new InvocationRunner(storage, workerId, cache, log);
        // A key in the environment (a Kubernetes Secret's JWREN_SIGNING_KEY); a served worker may get one on stdin.
        String key = config.get(EngineSettings.SIGNING_KEY);
        if (key != null && !key.isBlank()) runner.signedWith(ObjectSigner.fromBase64(EngineSettings.SIGNING_KEY, key));
        if (serve) {
            serve(runner, control, workerId);
        } else {
            if (invocation == null) usage(stderr, "give --invocation N (or set JOB_COMPLETION_INDEX)");
            if (!invocation.matches("\\d{1,9}")) usage(stderr, "--invocation needs a number, got '" + invocation + "'");
            if (!attempt.matches("\\d{1,9}")) usage(stderr, "--attempt needs a number, got '" + attempt + "'");
            Invocation inv;
            try {
                inv = runner.invocation(job, Integer.parseInt(invocation), Integer.parseInt(attempt));
            } catch (IllegalArgumentException e) { // the job has no such invocation
                usage(stderr, e.getMessage());
                return;
            }
            runner.run(inv);
        }
        storage.close();
        System.exit(0);
    }

    /** Result objects up to this size go back on the DONE line, base64-encoded. */
    private static final int RESULT_ALONG_LIMIT = 64 * 1024;

    private static void serve(InvocationRunner runner, PrintStream control, String workerId) throws IOException {
        control.println("HELLO " + workerId + " " + Runtime.version().feature());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        Base64.Decoder base64In = Base64.getDecoder();
        Base64.Encoder base64Out = Base64.getEncoder();
        while ((line = in.readLine()) != null) {
            if (line.startsWith("KEY ")) { // the executor's key, before any RUN: never on the command line
                runner.signedWith(ObjectSigner.fromBase64("the KEY line", line.substring(4)));
                continue;
            }
            if (line.startsWith("JOB ")) {
                int space = line.indexOf(' ', 4);
                runner.holdInline(line.substring(4, space), base64In.decode(line.substring(space + 1)));
                continue;
            }
            if (line.startsWith("END ")) {
                runner.releaseInline(line.substring(4));
                continue;
            }
            if (!line.startsWith("RUN ")) continue;
            Invocation inv = Invocation.fromLine(line.substring(4));
            String id = inv.jobId() + " " + inv.number() + " " + inv.attempt();
            control.println("STARTED " + id);
            try {
                InvocationRunner.Finished done = runner.run(inv, null);
                // The client need not read back a small result this run stored: it comes with the line.
                boolean along = done.stored() && done.resultObject().length <= RESULT_ALONG_LIMIT;
                control.println(along ? "DONE " + id + " " + base64Out.encodeToString(done.resultObject()) : "DONE " + id);
            } catch (RuntimeException | LinkageError e) {
                control.println("FAILED " + id + " " + String.valueOf(e).replace('\n', ' '));
            }
        }
    }

    /**
     * {@code <host>-<pid>}. The host name is {@code HOSTNAME} (set in containers and pods), else the kernel's (Linux),
     * else the resolver's: {@code InetAddress.getLocalHost()} looks the name up, a few ms of a cold start and far more
     * where the name does not resolve.
     */
    public static String defaultWorkerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) host = kernelHostName();
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "worker";
            }
        }
        return host.strip() + "-" + ProcessId.get();
    }

    private static String kernelHostName() {
        Path name = Path.of("/proc/sys/kernel/hostname");
        try {
            return Files.isReadable(name) ? Files.readString(name, StandardCharsets.US_ASCII) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) usage(System.err, "'" + args[i - 1] + "' needs a value");
        return args[i];
    }

    private static void usage(PrintStream err, String problem) {
        err.println("jwren worker: " + problem);
        err.println("usage: worker --serve | --job ID [--invocation N] [--attempt A] [--worker-id ID]");
        System.exit(2);
    }
}

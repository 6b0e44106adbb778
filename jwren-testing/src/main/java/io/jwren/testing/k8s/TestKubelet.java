package io.jwren.testing.k8s;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jwren.testing.ServerProcesses;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The node of the test cluster: there is no container runtime here, so this stands in for the kubelet (and,
 * for its one node, the scheduler). It registers a Ready node, binds each unscheduled pod to it (or marks the
 * pod unschedulable, with the scheduler's message, when its memory request exceeds the node's), runs each bound
 * pod's container as a local process (the image's entrypoint from a map, the container's args, the pod's
 * environment: values, downward-API field references, {@code envFrom} Secrets), reports the pod's status as a
 * kubelet does, stops a pod past its {@code activeDeadlineSeconds}, finishes a graceful deletion by stopping the
 * process and deleting the pod with grace 0, and serves {@code /containerLogs} over HTTPS for the API server's
 * {@code pods/log}. Everything else (Jobs, retries, garbage collection, RBAC) is the real control plane's.
 */
final class TestKubelet implements AutoCloseable {
    static final String NODE = "jwren-test-node";
    private static final Pattern LOGS = Pattern.compile("/containerLogs/([^/]+)/([^/]+)/([^/?]+)");

    private final KubernetesClient admin;
    private final Map<String, List<String>> images;
    private final Path logs;
    private final long nodeMemoryMi;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> deadlineHit = ConcurrentHashMap.newKeySet();
    private final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pods = Executors.newCachedThreadPool(daemon("test-kubelet"));
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("test-kubelet-deadlines"));
    private final HttpsServer logServer;
    private SharedIndexInformer<Pod> informer;

    TestKubelet(KubernetesClient admin, Map<String, List<String>> images, Path workDir, long nodeMemoryMi) throws IOException {
        this.admin = admin;
        this.images = Map.copyOf(images);
        this.logs = Files.createDirectories(workDir.resolve("pod-logs"));
        this.nodeMemoryMi = nodeMemoryMi;
        this.logServer = logServer(workDir);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void start() {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                        .withLabels(Map.of("kubernetes.io/hostname", NODE)).endMetadata().build()).create();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("2"), "memory", new Quantity(nodeMemoryMi + "Mi"),
                "pods", new Quantity("110"));
        admin.nodes().withName(NODE).editStatus(n -> {
            n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                    .withCapacity(capacity).withAllocatable(capacity)
                    .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                    .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(logServer.getAddress().getPort())
                    .endKubeletEndpoint().endDaemonEndpoints()
                    .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                            .withMessage("the jwren test kubelet runs pods as local processes")
                            .withLastHeartbeatTime(Instant.now().toString()).withLastTransitionTime(Instant.now().toString()).build())
                    .build());
            return n;
        });
        informer = admin.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                handle(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                handle(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                stop(pod.getMetadata().getUid());
            }
        }, 0);
    }

    private void handle(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (NODE.equals(pod.getSpec().getNodeName())) pods.execute(() -> finishDeletion(pod));
            return;
        }
        if (terminal(pod) || !seen.add(uid + "/" + (pod.getSpec().getNodeName() == null ? "unbound" : "bound"))) return;
        if (pod.getSpec().getNodeName() == null) pods.execute(() -> schedule(pod));
        else if (NODE.equals(pod.getSpec().getNodeName())) pods.execute(() -> run(pod));
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The scheduler's part, for one node: bind, or say why not as the scheduler says it. */
    private void schedule(Pod pod) {
        Container c = pod.getSpec().getContainers().get(0);
        Quantity memory = c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get("memory");
        if (memory != null && Quantity.getAmountInBytes(memory).longValue() > nodeMemoryMi * 1024 * 1024) {
            setStatus(pod, st -> {
                st.setPhase("Pending");
                st.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient memory.")
                        .withLastTransitionTime(Instant.now().toString()).build()));
            });
            record("pod " + pod.getMetadata().getName() + " unschedulable");
            return;
        }
        try {
            admin.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder().withNewMetadata()
                    .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                    .withNewTarget().withKind("Node").withApiVersion("v1").withName(NODE).endTarget().build()).create();
        } catch (KubernetesClientException e) {
            record("pod " + pod.getMetadata().getName() + " not bound: " + e.getMessage());
        }
    }

    private void run(Pod pod) {
        String name = pod.getMetadata().getName();
        Container c = pod.getSpec().getContainers().get(0);
        List<String> entrypoint = images.get(c.getImage());
        if (entrypoint == null) {
            waiting(pod, "ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image \""
                    + c.getImage() + "\": not found");
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getSecretRef() == null) continue;
            Secret secret = admin.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(from.getSecretRef().getName()).get();
            if (secret == null) {
                waiting(pod, "CreateContainerConfigError", "secret \"" + from.getSecretRef().getName() + "\" not found");
                return;
            }
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
        }
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) env.put(e.getName(), resolve(pod, e));
        List<String> command = new ArrayList<>(c.getCommand() != null && !c.getCommand().isEmpty() ? c.getCommand() : entrypoint);
        if (c.getArgs() != null) command.addAll(c.getArgs());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> penv = pb.environment();
        String path = penv.get("PATH");
        String home = penv.get("HOME");
        penv.clear(); // a container sees its own environment, not the test JVM's
        if (path != null) penv.put("PATH", path);
        if (home != null) penv.put("HOME", home);
        penv.put("HOSTNAME", name);
        penv.putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            waiting(pod, "CreateContainerError", e.getMessage());
            return;
        }
        processes.put(pod.getMetadata().getUid(), process);
        String startedAt = Instant.now().toString();
        setStatus(pod, st -> {
            st.setPhase("Running");
            st.setStartTime(startedAt);
            st.setHostIP("127.0.0.1");
            st.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                    new PodConditionBuilder().withType("Ready").withStatus("True").build()));
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID("").withRestartCount(0).withReady(true).withStarted(true)
                    .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build()).build()));
        });
        record("pod " + name + " running");
        Long deadline = pod.getSpec().getActiveDeadlineSeconds();
        if (deadline != null) {
            deadlines.schedule(() -> {
                if (process.isAlive()) {
                    deadlineHit.add(name);
                    process.destroyForcibly();
                }
            }, deadline, TimeUnit.SECONDS);
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            return;
        }
        if (processes.remove(pod.getMetadata().getUid()) == null) return; // stopped for a deletion: nothing to report
        boolean overDeadline = deadlineHit.contains(name);
        boolean succeeded = exit == 0 && !overDeadline;
        setStatus(pod, st -> {
            st.setPhase(succeeded ? "Succeeded" : "Failed");
            if (overDeadline) {
                st.setReason("DeadlineExceeded");
                st.setMessage("Pod was active on the node longer than the specified deadline");
            }
            st.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                    new PodConditionBuilder().withType("Ready").withStatus("False").withReason("PodCompleted").build()));
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID("").withRestartCount(0).withReady(false).withStarted(false)
                    .withState(new ContainerStateBuilder().withNewTerminated()
                            .withExitCode(exit).withReason(exit == 0 ? "Completed" : "Error").withStartedAt(startedAt)
                            .withFinishedAt(Instant.now().toString()).endTerminated().build()).build()));
        });
        record("pod " + name + (succeeded ? " Succeeded" : " Failed exit " + exit));
    }

    /** A graceful deletion of a pod on this node ends when the kubelet has stopped it and deletes it with grace 0. */
    private void finishDeletion(Pod pod) {
        stop(pod.getMetadata().getUid());
        try {
            admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException ignored) {
            // gone already
        }
    }

    private void stop(String uid) {
        Process p = processes.remove(uid);
        if (p != null) ServerProcesses.destroyTree(p, Duration.ZERO);
    }

    /** A downward-API field reference as the kubelet resolves it; a missing annotation gives "". */
    private static String resolve(Pod pod, EnvVar e) {
        if (e.getValueFrom() == null || e.getValueFrom().getFieldRef() == null) return e.getValue() == null ? "" : e.getValue();
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        Matcher m = Pattern.compile("metadata\\.(annotations|labels)\\['(.+)'\\]").matcher(field);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("annotations") ? pod.getMetadata().getAnnotations() : pod.getMetadata().getLabels();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (field) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "spec.nodeName" -> NODE;
            default -> "";
        };
    }

    private void waiting(Pod pod, String reason, String message) {
        Container c = pod.getSpec().getContainers().get(0);
        setStatus(pod, st -> {
            st.setPhase("Pending");
            st.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID("").withRestartCount(0).withReady(false)
                    .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build())
                    .build()));
        });
        record("pod " + pod.getMetadata().getName() + " waiting " + reason);
    }

    private void setStatus(Pod pod, Consumer<PodStatus> edit) {
        try {
            admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
                PodStatus st = p.getStatus() == null ? new PodStatus() : p.getStatus();
                edit.accept(st);
                p.setStatus(st);
                return p;
            });
        } catch (KubernetesClientException e) {
            record("pod " + pod.getMetadata().getName() + " status not written: " + e.getMessage());
        }
    }

    private void record(String event) {
        history.add(event);
    }

    List<String> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    int runningProcesses() {
        return (int) processes.values().stream().filter(Process::isAlive).count();
    }

    String log(String podName) {
        try {
            return Files.readString(logs.resolve(podName + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    // ---- /containerLogs, which the API server's pods/log reads ----

    /** HTTPS with a self-signed key made by the JDK's keytool: the API server does not verify kubelets it has no CA for. */
    private HttpsServer logServer(Path workDir) throws IOException {
        Path keystore = workDir.resolve("kubelet.p12");
        char[] password = "jwren-test-kubelet".toCharArray();
        try {
            ServerProcesses.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-alias", "kubelet", "-keyalg", "EC", "-dname", "CN=" + NODE, "-ext", "san=ip:127.0.0.1,dns:localhost",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(password)),
                    workDir, workDir.resolve("keytool.log"), Duration.ofMinutes(1), null);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/containerLogs/", this::serveLog);
            server.setExecutor(Executors.newCachedThreadPool(daemon("test-kubelet-logs")));
            server.start();
            return server;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not start the test kubelet's log server", e);
        }
    }

    private void serveLog(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = LOGS.matcher(exchange.getRequestURI().getPath());
            Path file = m.matches() ? logs.resolve(m.group(2) + ".log") : null;
            if (file == null || !Files.exists(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int tail = -1;
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String kv : query.split("&")) {
                    String[] p = kv.split("=", 2);
                    if (p.length == 2 && p[0].equals("tailLines")) tail = Integer.parseInt(URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                }
            }
            List<String> lines = Files.readAllLines(file);
            if (tail >= 0 && lines.size() > tail) lines = lines.subList(lines.size() - tail, lines.size());
            byte[] body = lines.stream().map(l -> l + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) informer.stop();
        pods.shutdownNow();
        deadlines.shutdownNow();
        for (Process p : processes.values()) ServerProcesses.destroyTree(p, Duration.ZERO);
        processes.clear();
        logServer.stop(0);
    }
}

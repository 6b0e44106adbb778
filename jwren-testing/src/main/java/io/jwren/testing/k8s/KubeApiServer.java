package io.jwren.testing.k8s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jwren.testing.ServerProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane on this machine: etcd, kube-apiserver (RBAC authorization, service-account
 * tokens, the default admission plugins) and kube-controller-manager running the real Job controller,
 * TTL-after-finished controller, garbage collector and service-account controllers, all built from the Go
 * module proxy by {@link ControlPlaneBinary}; plus {@link TestKubelet}, the one node, which runs pods as local
 * processes because no container runtime is here. Tests reach it as a user would, with a kubeconfig:
 * {@link #kubeconfig()} is a cluster admin ({@code system:masters}), {@link #kubeconfigFor} a service account.
 */
public final class KubeApiServer implements AutoCloseable {
    public static final String NAMESPACE = "jwren-test";
    /** For every client of this server: generous, so that a request waiting for a busy machine's cores still ends. */
    public static final int REQUEST_TIMEOUT_MS = 60_000;
    private static final Duration START_DEADLINE = Duration.ofMinutes(3);

    private final Path dir;
    private final List<Process> servers = new ArrayList<>();
    private final String adminToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final List<Job> jobsSeen = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Pod> podsCreated = java.util.Collections.synchronizedList(new ArrayList<>());
    private String url;
    private KubernetesClient admin;
    private TestKubelet kubelet;
    private SharedIndexInformer<Job> jobWitness;
    private SharedIndexInformer<Pod> podWitness;

    private KubeApiServer(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dir    a fresh directory for etcd's data, keys, logs and pods' logs
     * @param images image name -> the command its entrypoint runs
     */
    public static KubeApiServer start(Path dir, Map<String, List<String>> images) {
        return start(dir, images, 64 * 1024);
    }

    public static KubeApiServer start(Path dir, Map<String, List<String>> images, long nodeMemoryMi) {
        Path binary = ControlPlaneBinary.path();
        KubeApiServer c = new KubeApiServer(dir.toAbsolutePath());
        try {
            c.startServers(binary);
            c.kubelet = new TestKubelet(c.admin, images, c.dir, nodeMemoryMi);
            c.kubelet.start();
            c.watchWhatIsCreated();
            return c;
        } catch (IOException e) {
            c.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** An image whose entrypoint is {@code java -jar <jar>}, as docs/k8s/Dockerfile builds it. */
    public static List<String> javaJar(Path jar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss1m", "-jar", jar.toString());
    }

    private void startServers(Path binary) throws IOException {
        Files.createDirectories(dir);
        Path pki = Files.createDirectories(dir.resolve("pki"));
        int[] ports = ServerProcesses.freePorts(3);
        int etcdClient = ports[0], etcdPeer = ports[1], apiPort = ports[2];
        url = "https://127.0.0.1:" + apiPort;

        KeyPair sa = rsa();
        Path saKey = write(pki.resolve("sa.key"), pem("PRIVATE KEY", sa.getPrivate().getEncoded()));
        Path saPub = write(pki.resolve("sa.pub"), pem("PUBLIC KEY", sa.getPublic().getEncoded()));
        Path tokens = write(pki.resolve("tokens.csv"), adminToken + ",jwren-test-admin,jwren-test-admin,\"system:masters\"\n");
        // what service accounts do, for tests of what a Role must hold (see requestsOf)
        Path auditPolicy = write(pki.resolve("audit-policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                  - level: Metadata
                    userGroups: ["system:serviceaccounts"]
                  - level: None
                """);

        Process etcd = launch(binary, "etcd", List.of("--name=default", "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdClient, "--advertise-client-urls=http://127.0.0.1:" + etcdClient,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeer, "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeer,
                "--initial-cluster=default=http://127.0.0.1:" + etcdPeer, "--log-level=warn", "--unsafe-no-fsync=true"));
        ServerProcesses.awaitReady("etcd", etcd, serverLogFile("etcd"), START_DEADLINE, () -> ServerProcesses.listening(etcdClient));

        Path certs = dir.resolve("apiserver-certs");
        Process apiserver = launch(binary, "kube-apiserver", List.of("--etcd-servers=http://127.0.0.1:" + etcdClient,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort, "--cert-dir=" + certs,
                "--token-auth-file=" + tokens, "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + saPub, "--service-account-signing-key-file=" + saKey,
                "--service-cluster-ip-range=10.96.0.0/24", "--allow-privileged=false",
                // no kubernetes Service endpoints: the advertise address is loopback, which the reconciler refuses
                "--endpoint-reconciler-type=none", "--audit-policy-file=" + auditPolicy,
                "--audit-log-path=" + dir.resolve("audit.log"), "--audit-log-mode=blocking", "--v=1"));
        Path ca = certs.resolve("apiserver.crt");
        ServerProcesses.awaitReady("kube-apiserver", apiserver, serverLogFile("kube-apiserver"), START_DEADLINE,
                () -> Files.exists(ca) && ServerProcesses.listening(apiPort) && ready(ca));
        admin = client(ca, adminToken);

        Path kcmConfig = write(dir.resolve("controller-manager.kubeconfig"), kubeconfigYaml(ca, "jwren-test-admin", adminToken));
        Process kcm = launch(binary, "kube-controller-manager", List.of("--kubeconfig=" + kcmConfig,
                "--controllers=job-controller,ttl-after-finished-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller",
                "--leader-elect=false", "--secure-port=0", "--use-service-account-credentials=false",
                "--service-account-private-key-file=" + saKey, "--root-ca-file=" + ca, "--v=1"));
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        // the service-account controller makes each namespace's "default" account, which pods need: a sign kcm is at work
        ServerProcesses.awaitReady("kube-controller-manager", kcm, serverLogFile("kube-controller-manager"), START_DEADLINE,
                () -> admin.serviceAccounts().inNamespace(NAMESPACE).withName("default").get() != null);
    }

    private Process launch(Path binary, String server, List<String> flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), server));
        command.addAll(flags);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(serverLogFile(server).toFile()).start();
        p.getOutputStream().close();
        servers.add(p);
        return p;
    }

    private Path serverLogFile(String server) {
        return dir.resolve(server + ".log");
    }

    private boolean ready(Path ca) {
        try (KubernetesClient probe = client(ca, adminToken)) {
            return "ok".equals(probe.raw(url + "/readyz"));
        } catch (KubernetesClientException | IllegalStateException e) {
            return false;
        }
    }

    private KubernetesClient client(Path ca, String token) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl(url).withCaCertFile(ca.toString()).withOauthToken(token).withNamespace(NAMESPACE)
                .withRequestTimeout(REQUEST_TIMEOUT_MS).build()).build();
    }

    private void watchWhatIsCreated() {
        jobWitness = admin.batch().v1().jobs().inAnyNamespace().inform(onAdd(jobsSeen::add), 0);
        podWitness = admin.pods().inAnyNamespace().inform(onAdd(podsCreated::add), 0);
    }

    private static <T> ResourceEventHandler<T> onAdd(java.util.function.Consumer<T> added) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                added.accept(object);
            }

            @Override
            public void onUpdate(T old, T object) {}

            @Override
            public void onDelete(T object, boolean unknown) {}
        };
    }

    /** The API server's URL. */
    public String url() {
        return url;
    }

    /** A cluster admin's client ({@code system:masters}), to set things up and look at what the backend made. */
    public KubernetesClient client() {
        return admin;
    }

    /** A kubeconfig file for a cluster admin, for {@code jwren.k8s.kubeconfig}. */
    public Path kubeconfig() {
        return writeUnchecked(dir.resolve("admin.kubeconfig"), kubeconfigYaml(ca(), "jwren-test-admin", adminToken));
    }

    /** A kubeconfig file that authenticates as a service account, with a token from the TokenRequest API. */
    public Path kubeconfigFor(String namespace, String serviceAccount) {
        String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        return writeUnchecked(dir.resolve(namespace + "-" + serviceAccount + ".kubeconfig"),
                kubeconfigYaml(ca(), "system:serviceaccount:" + namespace + ":" + serviceAccount, token));
    }

    private Path ca() {
        return dir.resolve("apiserver-certs/apiserver.crt");
    }

    private String kubeconfigYaml(Path ca, String user, String token) {
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: jwren-test\n  cluster:\n    server: " + url + "\n"
                + "    certificate-authority: " + ca + "\nusers:\n- name: \"" + user + "\"\n  user:\n    token: " + token + "\n"
                + "contexts:\n- name: jwren-test\n  context:\n    cluster: jwren-test\n    user: \"" + user + "\"\n"
                + "    namespace: " + NAMESPACE + "\ncurrent-context: jwren-test\n";
    }

    /**
     * What a service account asked of the API server in its own namespace so far, from the audit log: one
     * {@code verb resource status} (or {@code verb resource/subresource status}) per kind of request it made.
     */
    public java.util.SortedSet<String> requestsOf(String namespace, String serviceAccount) {
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
        java.util.SortedSet<String> requests = new java.util.TreeSet<>();
        tools.jackson.databind.ObjectMapper json = new tools.jackson.databind.ObjectMapper();
        try {
            for (String line : Files.readAllLines(dir.resolve("audit.log"))) {
                tools.jackson.databind.JsonNode e = json.readTree(line);
                if (!user.equals(e.path("user").path("username").asString())) continue;
                tools.jackson.databind.JsonNode ref = e.path("objectRef");
                if (!namespace.equals(ref.path("namespace").asString())) continue;
                String resource = ref.path("resource").asString() + (ref.has("subresource") ? "/" + ref.path("subresource").asString() : "");
                requests.add(e.path("verb").asString() + " " + resource + " " + e.path("responseStatus").path("code").asInt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    /** Creates a Secret whose keys become the environment of pods that name it in envFrom. */
    public void createSecret(String namespace, String name, Map<String, String> values) {
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withStringData(values).build()).create();
    }

    /** Pods whose processes run now. */
    public int runningProcesses() {
        return kubelet.runningProcesses();
    }

    /** What the node did, in order ("pod X running", "pod X Failed exit 3" ...), for failure messages. */
    public List<String> history() {
        return kubelet.history();
    }

    /** Every Job created, as first seen: what stays true after someone deletes them. */
    public List<Job> jobsSeen() {
        synchronized (jobsSeen) {
            return List.copyOf(jobsSeen);
        }
    }

    /** Every pod created, as first seen (labels, annotations, spec). */
    public List<Pod> podsCreated() {
        synchronized (podsCreated) {
            return List.copyOf(podsCreated);
        }
    }

    /** A pod's output so far. */
    public String log(String podName) {
        return kubelet.log(podName);
    }

    /** The tail of one server's log ({@code etcd}, {@code kube-apiserver}, {@code kube-controller-manager}). */
    public String serverLog(String server) {
        return ServerProcesses.tail(serverLogFile(server), 4000);
    }

    /** Stops the node and its pods first, then the controller manager, the API server and etcd. */
    @Override
    public void close() {
        if (jobWitness != null) jobWitness.stop();
        if (podWitness != null) podWitness.stop();
        if (kubelet != null) kubelet.close();
        if (admin != null) admin.close();
        for (int i = servers.size() - 1; i >= 0; i--) ServerProcesses.destroyTree(servers.get(i), Duration.ofSeconds(10));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        return file;
    }

    private static Path writeUnchecked(Path file, String content) {
        try {
            return write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

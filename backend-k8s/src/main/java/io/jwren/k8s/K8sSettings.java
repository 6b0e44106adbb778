package io.jwren.k8s;

import io.jwren.Config;
import io.jwren.spi.Setting;
import io.jwren.spi.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code jwren.k8s.*} settings, read once from the executor's config.
 *
 * @param namespace          where Jobs are created ({@code jwren.k8s.namespace}; default: the client's, from kubeconfig)
 * @param image              the worker image, whose entrypoint runs the worker jar ({@code jwren.k8s.image}; required)
 * @param imagePullPolicy    {@code jwren.k8s.image-pull-policy} (IfNotPresent)
 * @param parallelism        pods of one Job running at once ({@code jwren.k8s.parallelism}; default jwren.workers)
 * @param serviceAccount     the pods' service account, or null ({@code jwren.k8s.service-account})
 * @param credentialsSecret  a Secret whose keys become the pods' environment (AWS_ACCESS_KEY_ID ...), or null
 *                           ({@code jwren.k8s.secret}); credentials never go into the Job spec itself
 * @param cpu                cpu request and limit per pod, e.g. {@code 1} or {@code 500m} ({@code jwren.k8s.cpu})
 * @param ttl                how long a finished Job stays for inspection ({@code jwren.k8s.ttl}, 1 h)
 * @param labels             extra labels on Jobs and pods ({@code jwren.k8s.labels=team=x,env=dev})
 * @param workerEnv          the non-secret settings every pod gets: storage location and S3 client settings
 * @param master             the API server URL, overriding kubeconfig ({@code jwren.k8s.master}), or null
 * @param context            the kubeconfig context to use ({@code jwren.k8s.context}), or null for the current one
 * @param kubeconfig         a kubeconfig file to use instead of fabric8's search ({@code jwren.k8s.kubeconfig}), or null
 * @param startTimeout       how long an invocation may wait for its pod to run (scheduling, image pull) before it
 *                           is reported lost with what the pod waits for ({@code jwren.k8s.start-timeout}, 10 min)
 * @param workerJava         the Java feature version in the worker image ({@code jwren.k8s.java}, 17)
 * @param logLines           lines of a failed pod's log quoted in its calls' error ({@code jwren.k8s.log-lines}, 30)
 * @param requestTimeout     how long one API request may take ({@code jwren.k8s.request-timeout}), or null for
 *                           the client's default (10 s)
 * @param keySecret          the executor's own Secret holding its signing key, which becomes the pods' environment
 *                           ({@code envFrom}), or null when jobs are unsigned; the key never goes into the Job spec
 * @param keySweepAge        how long another executor's key Secret must have existed, with no Job or pod of that
 *                           executor left, before this executor's first map deletes it as left by an executor that
 *                           died without closing ({@code jwren.k8s.key-sweep-age}, 1 h)
 */
record K8sSettings(String namespace, String image, String imagePullPolicy, int parallelism, String serviceAccount,
                   String credentialsSecret, String cpu, Duration ttl, Map<String, String> labels,
                   Map<String, String> workerEnv, String master, String context, String kubeconfig, Duration startTimeout, int workerJava,
                   int logLines, Duration requestTimeout, String keySecret, Duration keySweepAge) {


    static K8sSettings from(Config config) {
        String image = config.get("jwren.k8s.image");
        if (image == null || image.isBlank())
            throw new IllegalArgumentException("jwren.backend=k8s needs jwren.k8s.image: an image whose entrypoint runs "
                    + "the worker jar (see docs/k8s/Dockerfile)");
        Map<String, String> env = new LinkedHashMap<>();
        Settings.forWorkers(config).forEach((key, v) -> env.put(Setting.envName(key), v));
        return new K8sSettings(blankToNull(config.get("jwren.k8s.namespace")), image,
                config.get("jwren.k8s.image-pull-policy", "IfNotPresent"),
                Math.max(1, config.getInt("jwren.k8s.parallelism", config.getInt("jwren.workers", 10))),
                blankToNull(config.get("jwren.k8s.service-account")), blankToNull(config.get("jwren.k8s.secret")),
                blankToNull(config.get("jwren.k8s.cpu")), config.getDuration("jwren.k8s.ttl", Duration.ofHours(1)),
                parseLabels(config.get("jwren.k8s.labels", "")), Map.copyOf(env),
                blankToNull(config.get("jwren.k8s.master")), blankToNull(config.get("jwren.k8s.context")),
                blankToNull(config.get("jwren.k8s.kubeconfig")),
                config.getDuration("jwren.k8s.start-timeout", Duration.ofMinutes(10)),
                config.getInt("jwren.k8s.java", 17), Math.max(0, config.getInt("jwren.k8s.log-lines", 30)),
                config.getDuration("jwren.k8s.request-timeout", null), null,
                config.getDuration("jwren.k8s.key-sweep-age", Duration.ofHours(1)));
    }

    /** These settings with one more label on Jobs and pods. */
    K8sSettings withLabel(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(name, value);
        return new K8sSettings(namespace, image, imagePullPolicy, parallelism, serviceAccount, credentialsSecret, cpu, ttl,
                Map.copyOf(more), workerEnv, master, context, kubeconfig, startTimeout, workerJava, logLines, requestTimeout,
                keySecret, keySweepAge);
    }

    /** These settings with pods that take their signing key from the Secret {@code name}. */
    K8sSettings withKeySecret(String name) {
        return new K8sSettings(namespace, image, imagePullPolicy, parallelism, serviceAccount, credentialsSecret, cpu, ttl,
                labels, workerEnv, master, context, kubeconfig, startTimeout, workerJava, logLines, requestTimeout, name,
                keySweepAge);
    }


    static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("jwren.k8s.labels: expected name=value, was '" + pair.trim() + "'");
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Map.copyOf(labels);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

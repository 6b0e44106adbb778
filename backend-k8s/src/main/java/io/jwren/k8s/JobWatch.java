package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One map on the cluster: its Indexed Job, its re-run Jobs, and which invocation and attempt each of their
 * pods runs. The backend's informers hand it the map's pods and Jobs (by their job-id label); what the pods
 * do is reported to the engine in order on one thread.
 *
 * <p>Which attempt a pod of the Indexed Job runs: the controller replaces a failed pod of index n while
 * the index has failures left ({@code backoffLimitPerIndex}); the k-th pod of an index (its
 * {@code job-index-failure-count} annotation, or the order pods are seen on servers without it) runs the
 * attempt the engine asked for after the k-th failure. A replacement seen before the engine asks waits,
 * unreported. Any re-run the controller will not make — a speculative copy, an index given up on after a
 * timeout, a pod that cannot start — becomes a one-pod re-run Job.
 */
final class JobWatch {
    private final KubernetesClient client;
    private final K8sSettings settings;
    private final String namespace;
    private final JobSpec job;
    private final InvocationListener listener;
    private final Executor events;
    private final Executor io;
    private final long podDeadlineSeconds;
    private final String jobName;
    private final Slot[] slots;
    private final Map<String, PodSeen> pods = new HashMap<>();
    /** Re-run Jobs by "invocation/attempt": the Job's name and the attempt it runs. */
    private final Map<String, Rerun> reruns = new HashMap<>();

    private record Rerun(String jobName, Invocation inv) {}
    /** The Indexed Job failed or was deleted: its controller makes no more pods. */
    private boolean jobGone;
    private boolean closed;

    /** One invocation number: what the engine wants now, and what the Indexed Job's pods for it run. */
    private static final class Slot {
        final List<Invocation> controllerAttempts = new ArrayList<>();
        int controllerPodsSeen;
        int controllerFailures;
        boolean abandoned;
        Invocation current;
        long waitingSinceMs;
        String waitingFor;
    }

    /** A pod as far as it has been seen; {@code inv} is null while the engine has not asked for its attempt. */
    private static final class PodSeen {
        final int index;
        final int replacement;
        final boolean controller;
        Invocation inv;
        Pod latest;
        boolean started;
        boolean ended;

        PodSeen(int index, int replacement, boolean controller, Invocation inv) {
            this.index = index;
            this.replacement = replacement;
            this.controller = controller;
            this.inv = inv;
        }
    }

    JobWatch(KubernetesClient client, K8sSettings settings, String namespace, JobSpec job, InvocationListener listener,
             Executor events, Executor io, long podDeadlineSeconds) {
        this.client = client;
        this.settings = settings;
        this.namespace = namespace;
        this.job = job;
        this.listener = listener;
        this.events = events;
        this.io = io;
        this.podDeadlineSeconds = podDeadlineSeconds;
        this.jobName = IndexedJobFactory.jobName(job.jobId());
        this.slots = new Slot[job.invocations()];
        for (int i = 0; i < slots.length; i++) slots[i] = new Slot();
    }

    /** Creates the Indexed Job (the backend watches already); throws with a clear message if the cluster refuses. */
    void start(List<Invocation> first) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (Invocation inv : first) {
                Slot s = slots[inv.number()];
                s.current = inv;
                s.controllerAttempts.add(inv);
                s.waitingSinceMs = now;
            }
        }
        Job built = IndexedJobFactory.build(job.jobId(), job.memoryMb(), job.invocations(), job.retries(),
                podDeadlineSeconds, settings);
        try {
            // Servers before 1.29 drop backoffLimitPerIndex: their controller still re-runs failed pods, within the
            // Job-wide backoffLimit the factory sets, so the client treats both alike.
            client.batch().v1().jobs().inNamespace(namespace).resource(built).create();
        } catch (KubernetesClientException e) {
            throw K8sErrors.explain("create Job " + jobName, namespace, e);
        }
    }

    /**
     * The Indexed Job failed (a Job-wide limit, its deadline) or was deleted by someone else: its controller
     * makes no more pods, so invocations waiting for one are reported lost now, and re-runs become Jobs of their own.
     */
    void onJob(Job j, boolean deleted) {
        if (!jobName.equals(j.getMetadata().getName())) return;
        String failed = null;
        if (!deleted && j.getStatus() != null && j.getStatus().getConditions() != null) {
            for (var c : j.getStatus().getConditions()) {
                if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
                    failed = "Job " + jobName + " failed: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
        }
        if (!deleted && failed == null) return;
        String why = deleted ? "Job " + jobName + " was deleted" : failed;
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (closed || jobGone) return;
            jobGone = true;
            for (Slot s : slots) {
                s.abandoned = true;
                Invocation inv = s.current;
                if (s.waitingSinceMs == 0 || inv == null || reruns.containsKey(key(inv))) continue;
                s.waitingSinceMs = 0; // it waited for the controller, which is done
                actions.add(() -> listener.lost(inv, why));
            }
        }
        actions.forEach(events::execute);
    }

    /** The engine wants another attempt of an invocation: the controller's next pod, or a re-run Job. */
    void resubmit(Invocation inv) {
        List<Runnable> actions = new ArrayList<>();
        boolean rerun;
        synchronized (this) {
            if (closed) return;
            Slot s = slots[inv.number()];
            s.current = inv;
            s.waitingSinceMs = System.currentTimeMillis();
            s.waitingFor = null;
            int k = s.controllerAttempts.size();
            Invocation last = s.controllerAttempts.get(k - 1);
            rerun = s.abandoned || s.controllerFailures != k || k > job.retries() || last.attempt() != inv.attempt() - 1;
            if (rerun) {
                reruns.put(key(inv), new Rerun(IndexedJobFactory.rerunJobName(job.jobId(), inv.number(), inv.attempt()), inv));
            } else {
                s.controllerAttempts.add(inv);
                for (PodSeen p : pods.values()) {
                    if (p.controller && p.inv == null && p.index == inv.number() && p.replacement == k) {
                        p.inv = inv;
                        process(p, p.latest, false, actions);
                    }
                }
            }
        }
        if (rerun) io.execute(() -> createRerun(inv));
        actions.forEach(events::execute);
    }

    private void createRerun(Invocation inv) {
        Job rerun = IndexedJobFactory.rerun(job.jobId(), inv.number(), inv.attempt(), job.memoryMb(), podDeadlineSeconds, settings);
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(rerun).create();
        } catch (KubernetesClientException e) {
            String why = K8sErrors.explain("create Job " + rerun.getMetadata().getName(), namespace, e).getMessage();
            events.execute(() -> listener.lost(inv, why));
        }
    }

    /** Stops caring for one attempt: a re-run Job is deleted; the Indexed Job's index is given up on. */
    void abort(Invocation inv) {
        String rerunJob;
        synchronized (this) {
            Rerun r = reruns.get(key(inv));
            rerunJob = r == null ? null : r.jobName();
            Slot s = slots[inv.number()];
            if (rerunJob == null && s.controllerAttempts.contains(inv)) s.abandoned = true;
            if (inv.equals(s.current)) s.waitingSinceMs = 0;
        }
        if (rerunJob != null) io.execute(() -> deleteJob(rerunJob));
    }

    /** A pod of this map was added, changed or deleted (the backend's informer, on its thread). */
    void onPod(Pod pod, boolean deleted) {
        List<Runnable> actions = new ArrayList<>();
        synchronized (this) {
            if (closed) return;
            String uid = pod.getMetadata().getUid() != null ? pod.getMetadata().getUid() : pod.getMetadata().getName();
            PodSeen seen = pods.get(uid);
            if (seen == null) {
                seen = firstSight(pod);
                if (seen == null) return;
                pods.put(uid, seen);
            }
            seen.latest = pod;
            if (seen.inv != null) process(seen, pod, deleted, actions);
            else if (deleted) seen.ended = true;
        }
        actions.forEach(events::execute);
    }

    /** Which invocation and attempt a new pod runs, or null for a pod that is not ours to report. */
    private PodSeen firstSight(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Map<String, String> notes = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        String attempt = labels.get(IndexedJobFactory.ATTEMPT_LABEL);
        if (attempt != null) {
            Rerun r = reruns.get(labels.get(IndexedJobFactory.INDEX_LABEL) + "/" + attempt);
            return r == null ? null : new PodSeen(r.inv().number(), 0, false, r.inv());
        }
        int n = parse(notes.getOrDefault(IndexedJobFactory.COMPLETION_INDEX_ANNOTATION,
                labels.get(IndexedJobFactory.COMPLETION_INDEX_ANNOTATION)));
        if (n < 0 || n >= slots.length) return null;
        Slot s = slots[n];
        int k = notes.containsKey(IndexedJobFactory.FAILURE_COUNT_ANNOTATION)
                ? parse(notes.get(IndexedJobFactory.FAILURE_COUNT_ANNOTATION)) : s.controllerPodsSeen;
        s.controllerPodsSeen++;
        if (k < 0) return null;
        return new PodSeen(n, k, true, k < s.controllerAttempts.size() ? s.controllerAttempts.get(k) : null);
    }

    /** Turns what a pod's status says into reports; called under the lock, the reports run after it. */
    private void process(PodSeen seen, Pod pod, boolean deleted, List<Runnable> actions) {
        if (seen.ended) return;
        Slot slot = slots[seen.index];
        Invocation inv = seen.inv;
        boolean current = inv.equals(slot.current);
        String podName = PodStates.name(pod);
        PodStates.Phase phase = PodStates.phase(pod);
        if (deleted && phase != PodStates.Phase.SUCCEEDED) phase = PodStates.Phase.FAILED;
        switch (phase) {
            case RUNNING -> {
                if (seen.started) return;
                seen.started = true;
                if (current) slot.waitingSinceMs = 0;
                actions.add(() -> listener.started(inv, podName));
            }
            case SUCCEEDED -> {
                seen.ended = true;
                if (current) slot.waitingSinceMs = 0;
                actions.add(() -> listener.completed(inv));
            }
            case FAILED -> {
                seen.ended = true;
                if (current) slot.waitingSinceMs = 0;
                if (seen.controller) slot.controllerFailures++;
                String what = deleted ? "was deleted before it finished" : "failed: " + PodStates.failure(pod);
                io.execute(() -> reportFailed(inv, podName, what));
            }
            case WAITING -> {
                String stuck = PodStates.stuckReason(pod);
                if (stuck == null) {
                    if (current) slot.waitingFor = PodStates.waitingReason(pod);
                    return;
                }
                seen.ended = true; // it will not start as it is: another attempt gets a new pod
                if (current) slot.waitingSinceMs = 0;
                if (seen.controller) slot.abandoned = true;
                String rerunJob = seen.controller ? null : reruns.get(key(inv)).jobName();
                if (rerunJob != null) io.execute(() -> deleteJob(rerunJob));
                actions.add(() -> listener.lost(inv, "pod " + podName + " cannot start its container: " + stuck));
            }
        }
    }

    /** Reads the tail of a failed pod's log (off the informer thread) and reports the invocation lost with it. */
    private void reportFailed(Invocation inv, String podName, String what) {
        StringBuilder reason = new StringBuilder("pod " + podName + " " + what);
        if (settings.logLines() > 0) {
            try {
                String log = client.pods().inNamespace(namespace).withName(podName).tailingLines(settings.logLines()).getLog();
                if (log != null && !log.isBlank()) {
                    reason.append("; last lines of its log:\n").append(log.stripTrailing());
                }
            } catch (KubernetesClientException e) {
                reason.append(" (its log could not be read: ").append(e.getCode() == 403
                        ? "403 Forbidden: the account needs 'get' on pods/log, see docs/k8s/rbac.yaml" : e.getMessage()).append(')');
            }
        }
        events.execute(() -> listener.lost(inv, reason.toString()));
    }

    /** Reports invocations whose pod has not run within the start timeout, with what it waits for. */
    void checkStartTimeouts(long nowMs) {
        List<Runnable> actions = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        long limit = settings.startTimeout().toMillis();
        synchronized (this) {
            if (closed) return;
            for (Slot s : slots) {
                if (s.waitingSinceMs == 0 || nowMs - s.waitingSinceMs <= limit) continue;
                Invocation inv = s.current;
                s.waitingSinceMs = 0;
                Rerun r = reruns.get(key(inv));
                String rerunJob = r == null ? null : r.jobName();
                if (rerunJob != null) deletions.add(rerunJob);
                else s.abandoned = true;
                String why = s.waitingFor != null ? s.waitingFor
                        : "no pod was created for it; see kubectl describe job " + (rerunJob != null ? rerunJob : jobName)
                        + " -n " + namespace;
                actions.add(() -> listener.lost(inv, "invocation " + inv.number() + " (attempt " + (inv.attempt() + 1)
                        + ") did not start within " + settings.startTimeout().toSeconds() + " s: " + why));
            }
        }
        deletions.forEach(name -> io.execute(() -> deleteJob(name)));
        actions.forEach(events::execute);
    }

    /**
     * The engine is done with the map. Jobs that still run something (a given-up index, a losing copy, a
     * replacement nobody asked for) are deleted; the rest stay for inspection until their TTL.
     */
    void finish() {
        Set<String> toDelete = new LinkedHashSet<>();
        synchronized (this) {
            if (closed) return;
            closed = true;
            boolean busy = pods.values().stream().anyMatch(p -> !p.ended);
            for (Slot s : slots) busy |= s.abandoned;
            if (busy) {
                toDelete.add(jobName);
                reruns.values().forEach(r -> toDelete.add(r.jobName()));
            }
        }
        toDelete.forEach(name -> io.execute(() -> deleteJob(name)));
    }

    /** Cancel: every Job of the map is deleted; the cluster's garbage collector removes their pods. */
    void cancel() {
        List<String> names = new ArrayList<>();
        synchronized (this) {
            closed = true;
            names.add(jobName);
            reruns.values().forEach(r -> names.add(r.jobName()));
        }
        names.forEach(this::deleteJob);
    }

    private void deleteJob(String name) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            // best effort: the Job's TTL removes it later
        }
    }

    private static String key(Invocation inv) {
        return inv.number() + "/" + inv.attempt();
    }

    private static int parse(String s) {
        if (s == null || s.isBlank()) return -1;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

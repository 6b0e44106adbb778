package io.jwren.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.List;
import java.util.Set;

/** Reads a pod's status the way a person would: running, done, failed and why, or what it waits for. */
final class PodStates {
    /** Container waiting reasons that do not clear up by themselves: the pod will never run as it is. */
    static final Set<String> STUCK = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError", "CreateContainerError");

    enum Phase { WAITING, RUNNING, SUCCEEDED, FAILED }

    private PodStates() {}

    static Phase phase(Pod pod) {
        PodStatus s = pod.getStatus();
        String phase = s == null ? null : s.getPhase();
        if ("Succeeded".equals(phase)) return Phase.SUCCEEDED;
        if ("Failed".equals(phase)) return Phase.FAILED;
        if ("Running".equals(phase)) return Phase.RUNNING;
        return Phase.WAITING;
    }

    /** "ImagePullBackOff: Back-off pulling image ..." when the worker container cannot start, else null. */
    static String stuckReason(Pod pod) {
        for (ContainerStatus c : containers(pod)) {
            ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
            if (w != null && STUCK.contains(w.getReason())) return w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage());
        }
        return null;
    }

    /** What a pod that does not run yet waits for: unschedulable, or its container's waiting reason; or null. */
    static String waitingReason(Pod pod) {
        PodStatus s = pod.getStatus();
        if (s != null && s.getConditions() != null) {
            for (PodCondition c : s.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return "pod " + name(pod) + " is not scheduled: " + c.getReason()
                            + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
        }
        for (ContainerStatus c : containers(pod)) {
            ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
            if (w != null && w.getReason() != null) {
                return "pod " + name(pod) + " waits: " + w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage());
            }
        }
        return "pod " + name(pod) + " is " + (s == null || s.getPhase() == null ? "Pending" : s.getPhase());
    }

    /** "exit code 137, OOMKilled" or "DeadlineExceeded: Pod was active on the node longer than ...". */
    static String failure(Pod pod) {
        StringBuilder b = new StringBuilder();
        for (ContainerStatus c : containers(pod)) {
            ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
            if (t == null) continue;
            b.append("exit code ").append(t.getExitCode());
            if (t.getReason() != null) b.append(", ").append(t.getReason());
            if (t.getMessage() != null && !t.getMessage().isBlank()) b.append(": ").append(t.getMessage().strip());
        }
        PodStatus s = pod.getStatus();
        if (s != null && s.getReason() != null) {
            if (!b.isEmpty()) b.append("; ");
            b.append(s.getReason());
            if (s.getMessage() != null) b.append(": ").append(s.getMessage());
        }
        return b.isEmpty() ? "no reason given" : b.toString();
    }

    static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    private static List<ContainerStatus> containers(Pod pod) {
        PodStatus s = pod.getStatus();
        return s == null || s.getContainerStatuses() == null ? List.of() : s.getContainerStatuses();
    }
}

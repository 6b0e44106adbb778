package io.jwren.local;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;
import io.jwren.spi.JobSpec;
import io.jwren.spi.Storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test backend "processes-tampered": the processes backend with an attacker who can write storage, as a test
 * registers him for an executor: he acts after a job is staged and before its workers read it, and after a worker
 * wrote a result and before the client reads it.
 */
public final class TamperingProcessesProvider implements BackendProvider {
    /** What the attacker does; each step is a no-op unless overridden. */
    interface Attacker {
        /** The job is staged; no worker has read it. */
        default void staged(Storage storage, String jobId) {}

        /** A worker wrote the invocation's result; the client has not read it. */
        default void resultWritten(Storage storage, String jobId, Invocation inv) {}

        /**
         * What the client is handed with the invocation's completion in place of the result object the worker sent
         * back on its channel; by default nothing, so that the client reads whatever the attacker left in storage.
         *
         * @param resultObject what the worker sent, or null if it sent nothing
         */
        default byte[] handedBack(byte[] resultObject) {
            return null;
        }
    }

    /** The attacker of each executor, by executor id. */
    static final Map<String, Attacker> ATTACKERS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "processes-tampered";
    }

    @Override
    public Backend create(BackendContext context) {
        ProcessesBackend real = new ProcessesBackend(context, LocalBackendProviders.workers(context));
        return new DelegatingBackend(real) {
            @Override
            public void submit(JobSpec job, List<Invocation> invocations, InvocationListener listener) {
                Attacker attacker = ATTACKERS.getOrDefault(context.executorId(), new Attacker() {});
                attacker.staged(context.storage(), job.jobId());
                real.submit(job, invocations, new ForwardingListener(listener) {
                    @Override
                    public void completed(Invocation inv) {
                        completed(inv, null);
                    }

                    @Override
                    public void completed(Invocation inv, byte[] resultObject) {
                        attacker.resultWritten(context.storage(), job.jobId(), inv);
                        engine.completed(inv, attacker.handedBack(resultObject));
                    }
                });
            }
        };
    }
}

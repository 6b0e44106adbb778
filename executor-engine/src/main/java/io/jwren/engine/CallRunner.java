package io.jwren.engine;

import io.jwren.engine.protocol.CallOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs calls one after another on the current thread and records each outcome with its timing. Shared
 * by the in-process backend and the workers, so a call behaves the same everywhere.
 */
public final class CallRunner {
    private CallRunner() {}

    /** Receives each outcome as soon as its call ends. */
    public interface OutcomeSink {
        void accept(CallOutcome outcome);
    }

    /**
     * @return false if interrupted before every call ran
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static boolean run(Function fn, List<?> inputs, int firstCall, OutcomeSink sink) {
        for (int i = 0; i < inputs.size(); i++) {
            if (Thread.currentThread().isInterrupted()) return false;
            long start = System.currentTimeMillis();
            CallOutcome outcome;
            try {
                Object value = fn.apply(inputs.get(i));
                outcome = CallOutcome.success(firstCall + i, value, start, System.currentTimeMillis());
            } catch (Throwable t) {
                outcome = CallOutcome.failure(firstCall + i, t, start, System.currentTimeMillis());
            }
            sink.accept(outcome);
        }
        return true;
    }

    /** Convenience: collects the outcomes in a list. */
    public static List<CallOutcome> runAll(Function<Object, Object> fn, List<?> inputs, int firstCall) {
        List<CallOutcome> out = new ArrayList<>(inputs.size());
        run(fn, inputs, firstCall, out::add);
        return out;
    }
}

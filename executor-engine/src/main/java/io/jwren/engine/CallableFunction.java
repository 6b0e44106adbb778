package io.jwren.engine;

import io.jwren.SerializableCallable;
import io.jwren.SerializableFunction;

/** Lets {@code submit} run a task as a one-call map. Lives in the runtime, so workers already have it. */
final class CallableFunction<R> implements SerializableFunction<Object, R> {
    private final SerializableCallable<? extends R> task;

    CallableFunction(SerializableCallable<? extends R> task) {
        this.task = task;
    }

    @Override
    public R apply(Object ignored) {
        try {
            return task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CheckedCallException(e);
        }
    }

    /** Carries a checked exception out of {@link java.util.function.Function#apply}; unwrapped on the client. */
    static final class CheckedCallException extends RuntimeException {
        CheckedCallException(Exception cause) {
            super(cause);
        }
    }
}

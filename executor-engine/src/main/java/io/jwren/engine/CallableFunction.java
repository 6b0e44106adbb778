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
    public R call(Object ignored) throws Exception {
        return task.call();
    }
}

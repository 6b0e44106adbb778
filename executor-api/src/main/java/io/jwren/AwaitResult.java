package io.jwren;

import java.util.List;
import java.util.concurrent.Future;

/**
 * What {@link Executor#await} saw: the futures that were done and those that were not, each in the
 * order they were given.
 */
public final class AwaitResult<F extends Future<?>> {
    private final List<F> done;
    private final List<F> notDone;

    public AwaitResult(List<F> done, List<F> notDone) {
        this.done = List.copyOf(done);
        this.notDone = List.copyOf(notDone);
    }

    public List<F> done() {
        return done;
    }

    public List<F> notDone() {
        return notDone;
    }

    /** True when nothing was left undone. */
    public boolean allDone() {
        return notDone.isEmpty();
    }
}

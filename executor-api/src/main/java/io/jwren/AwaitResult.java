package io.jwren;

import java.util.List;
import java.util.concurrent.Future;

/**
 * What {@link Executor#await} saw: the futures that were done and those that were not, each in the
 * order they were given.
 *
 * @param <F> the type of the futures
 */
public final class AwaitResult<F extends Future<?>> {
    private final List<F> done;
    private final List<F> notDone;

    /**
     * Holds copies of both lists.
     *
     * @param done    the futures that were done
     * @param notDone the futures that were not
     */
    public AwaitResult(List<F> done, List<F> notDone) {
        this.done = List.copyOf(done);
        this.notDone = List.copyOf(notDone);
    }

    /** {@return the futures that were done, unmodifiable} */
    public List<F> done() {
        return done;
    }

    /** {@return the futures that were not done, unmodifiable} */
    public List<F> notDone() {
        return notDone;
    }

    /** {@return true when nothing was left undone} */
    public boolean allDone() {
        return notDone.isEmpty();
    }
}

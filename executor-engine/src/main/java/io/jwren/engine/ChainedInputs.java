package io.jwren.engine;

import io.jwren.UpstreamFailureException;

import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * The inputs of a chained map ({@code thenMap}): call i takes the result of call i of the map it chains on. An input
 * whose call failed there is a {@link Failed} marker, and the function a chained map runs throws its
 * {@link UpstreamFailureException} instead of being applied, so the call fails with the first failure as its cause,
 * timed and reported like any other failure, in this JVM and on workers alike.
 */
public final class ChainedInputs {
    private ChainedInputs() {}

    /** Stands for the input of a call whose upstream call failed. */
    public static final class Failed {
        private final UpstreamFailureException error;

        private Failed(UpstreamFailureException error) {
            this.error = error;
        }
    }

    /** {@return the input of call {@code index}, whose upstream call in {@code upstreamJobId} failed with {@code cause}} */
    public static Failed failed(String upstreamJobId, int index, Throwable cause) {
        return new Failed(new UpstreamFailureException(upstreamJobId, index, cause));
    }

    /** {@return {@code fn}, except that a {@link Failed} input throws its failure} */
    public static Function<Object, Object> unwrapping(Function<Object, Object> fn) {
        return in -> {
            if (in instanceof Failed f) throw f.error;
            return fn.apply(in);
        };
    }

    /**
     * The inputs of an in-process chained map, read from the upstream call futures only when a call runs (its
     * upstream invocation is done by then).
     */
    static List<Object> of(MapJob upstream) {
        List<CallFutureImpl<Object>> calls = upstream.callFutures();
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                CallFutureImpl<Object> c = calls.get(i);
                Throwable failure = upstream.callFailure(i);
                return failure != null ? failed(upstream.jobId(), i, failure) : c.future().getNow(null);
            }

            @Override
            public int size() {
                return calls.size();
            }
        };
    }

    /** {@return what call {@code c} failed with: its cause, or a cancellation; null if it has a value or none yet} */
    static Throwable failureOf(CallFutureImpl<?> c, String jobId) {
        if (c.isCancelled()) return new CancellationException("call " + c.index() + " of job " + jobId + " was cancelled");
        return c.failed() ? c.failureCause() : null;
    }
}

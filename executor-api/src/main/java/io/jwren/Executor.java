package io.jwren;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Future;

/**
 * Runs Java lambdas over many inputs on a backend: threads in this JVM (the default), local worker
 * JVMs, or the cloud. Only configuration picks the backend; the code stays the same.
 *
 * <pre>{@code
 * try (Executor ex = Executor.fromConfig()) {
 *     List<Double> roots = ex.map(x -> Math.sqrt(x), List.of(1, 4, 9)).get();
 * }
 * }</pre>
 *
 * In JShell, import this type by its single name ({@code import io.jwren.Executor;}): JShell's default
 * {@code java.util.concurrent.*} import has an {@code Executor} too.
 */
public interface Executor extends AutoCloseable {

    /** An executor configured from system properties, environment, properties files and defaults. */
    static Executor fromConfig() {
        return builder().build();
    }

    /** A builder starting from the same configuration chain as {@link #fromConfig()}; explicit settings win. */
    static Builder builder() {
        return new ExecutorBuilder();
    }

    /** Runs {@code fn} once per input; returns at once. */
    default <T, R> MapFuture<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
        return map(fn, inputs, MapOptions.defaults());
    }

    <T, R> MapFuture<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                            MapOptions options);

    /** Runs one task; returns at once. */
    default <R> CallFuture<R> submit(SerializableCallable<? extends R> task) {
        return submit(task, MapOptions.defaults());
    }

    <R> CallFuture<R> submit(SerializableCallable<? extends R> task, MapOptions options);

    /**
     * Maps, then folds the results in input order with {@code reducer} as they arrive. Fails with the
     * first failed call (by index).
     */
    default <T, R> CallFuture<R> mapReduce(SerializableFunction<? super T, ? extends R> mapper,
                                           Iterable<? extends T> inputs, SerializableBinaryOperator<R> reducer) {
        return mapReduce(mapper, inputs, reducer, MapOptions.defaults());
    }

    <T, R> CallFuture<R> mapReduce(SerializableFunction<? super T, ? extends R> mapper,
                                   Iterable<? extends T> inputs, SerializableBinaryOperator<R> reducer,
                                   MapOptions options);

    /**
     * Attaches to a job already in this executor's storage, submitted by this or another JVM, running or
     * finished, and gathers its results as they appear. The job's own class bundles are loaded from
     * storage to decode them, so the classes need not be on this JVM's class path. Nothing is
     * resubmitted: calls whose results never appear wait until {@code get} times out.
     *
     * @throws IllegalArgumentException if the storage holds no job with this id
     */
    <R> MapFuture<R> attach(String jobId);

    /**
     * Waits until the futures meet {@code mode} or the timeout passes, whichever comes first, and says
     * which are done. Never throws for a failed future: inspect the done ones.
     */
    <F extends Future<?>> AwaitResult<F> await(Collection<F> futures, Await mode, Duration timeout)
            throws InterruptedException;

    /** This executor's id; job ids start with it. */
    String id();

    /** The resolved configuration. */
    Config config();

    /** Releases threads, worker processes and clients; waits for nothing. Calls still running are cancelled. */
    @Override
    void close();

    interface Builder {
        /** "threads" | "processes" | "lambda" | "k8s", or any backend found through ServiceLoader. */
        Builder backend(String name);

        /** "file:///dir" | "s3://bucket/prefix", or any scheme a storage provider handles. */
        Builder storage(String uri);

        /** Any jwren.* key; see {@link Config}. */
        Builder property(String key, String value);

        Executor build();
    }
}

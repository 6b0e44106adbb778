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

    /**
     * An executor configured from system properties, environment, properties files and defaults.
     *
     * @return a new executor; close it when done
     * @throws IllegalStateException    if no engine is on the class path
     * @throws IllegalArgumentException if no backend of the configured name is on the class path, or a setting is malformed
     */
    static Executor fromConfig() {
        return builder().build();
    }

    /** {@return a builder starting from the same configuration chain as {@link #fromConfig()}; explicit settings win} */
    static Builder builder() {
        return new ExecutorBuilder();
    }

    /**
     * Runs {@code fn} once per input, with the executor's configured options; returns at once.
     *
     * @param fn     the function; it and what it captures are shipped to the workers
     * @param inputs the inputs, read once before this method returns
     * @param <T>    the type of the inputs
     * @param <R>    the type of the results
     * @return the future results, in input order
     * @throws NotShippableException if {@code fn}, an input, or a class they need cannot be shipped
     * @see #map(SerializableFunction, Iterable, MapOptions)
     */
    default <T, R> MapFuture<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
        return map(fn, inputs, MapOptions.defaults());
    }

    /**
     * Runs {@code fn} once per input; returns at once. The inputs are read once, here, and split into
     * invocations of {@link MapOptions#chunkSize()} calls; for backends outside this JVM they are staged in
     * storage with the closure, never held in memory. Nothing runs before the closure is known to ship.
     *
     * @param fn      the function; it and what it captures are shipped to the workers
     * @param inputs  the inputs, read once before this method returns
     * @param options this map's options; what they leave unset comes from the configuration
     * @param <T>     the type of the inputs
     * @param <R>     the type of the results
     * @return the future results, in input order
     * @throws NotShippableException if {@code fn}, an input, or a class they need cannot be shipped
     * @throws IllegalStateException if this executor is closed
     */
    <T, R> MapFuture<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs,
                            MapOptions options);

    /**
     * Runs one task, with the executor's configured options; returns at once.
     *
     * @param task the task; it and what it captures are shipped to a worker
     * @param <R>  the type of the result
     * @return the future result; when the task throws, checked exceptions included, what it threw is the cause
     *         {@code get} reports
     * @throws NotShippableException if {@code task} or a class it needs cannot be shipped
     */
    default <R> CallFuture<R> submit(SerializableCallable<? extends R> task) {
        return submit(task, MapOptions.defaults());
    }

    /**
     * Runs one task, as a map of one call; returns at once.
     *
     * @param task    the task; it and what it captures are shipped to a worker
     * @param options its options; what they leave unset comes from the configuration
     * @param <R>     the type of the result
     * @return the future result; when the task throws, checked exceptions included, what it threw is the cause
     *         {@code get} reports
     * @throws NotShippableException if {@code task} or a class it needs cannot be shipped
     * @throws IllegalStateException if this executor is closed
     */
    <R> CallFuture<R> submit(SerializableCallable<? extends R> task, MapOptions options);

    /**
     * Maps, then folds the results in input order with {@code reducer} as they arrive. Fails with the
     * first failed call (by index).
     *
     * @param mapper  the function run once per input on the workers
     * @param inputs  the inputs, read once before this method returns
     * @param reducer folds two results into one; runs on the client
     * @param <T>     the type of the inputs
     * @param <R>     the type of the results
     * @return the future of the folded result; null for no inputs
     * @throws NotShippableException if {@code mapper}, an input, or a class they need cannot be shipped
     * @see #mapReduce(SerializableFunction, Iterable, SerializableBinaryOperator, MapOptions)
     */
    default <T, R> CallFuture<R> mapReduce(SerializableFunction<? super T, ? extends R> mapper,
                                           Iterable<? extends T> inputs, SerializableBinaryOperator<R> reducer) {
        return mapReduce(mapper, inputs, reducer, MapOptions.defaults());
    }

    /**
     * Maps, then folds the results in input order with {@code reducer}, on the client, as they arrive: the
     * first result is the start, and each next one in input order is folded in as soon as it and all before it
     * are done. Fails with the first failed call by index (or with what the reducer throws), and is cancelled
     * when it reaches a cancelled call. Cancelling the returned future stops the folding, not the map's calls.
     *
     * @param mapper  the function run once per input on the workers
     * @param inputs  the inputs, read once before this method returns
     * @param reducer folds two results into one; runs on the client
     * @param options the map's options; what they leave unset comes from the configuration
     * @param <T>     the type of the inputs
     * @param <R>     the type of the results
     * @return the future of the folded result; null for no inputs
     * @throws NotShippableException if {@code mapper}, an input, or a class they need cannot be shipped
     * @throws IllegalStateException if this executor is closed
     */
    <T, R> CallFuture<R> mapReduce(SerializableFunction<? super T, ? extends R> mapper,
                                   Iterable<? extends T> inputs, SerializableBinaryOperator<R> reducer,
                                   MapOptions options);

    /**
     * Attaches to a job already in this executor's storage, submitted by this or another JVM, running or
     * finished, and gathers its results as they appear. The job's own class bundles are loaded from
     * storage to decode them, so the classes need not be on this JVM's class path. Nothing is
     * resubmitted: calls whose results never appear wait until {@code get} times out.
     *
     * @param jobId the job's id, as {@link MapFuture#jobId()} gave it
     * @param <R>   the type of the job's results
     * @return the future results of the job's calls
     * @throws IllegalArgumentException if the storage holds no job with this id
     * @throws IllegalStateException    if this executor is closed
     */
    <R> MapFuture<R> attach(String jobId);

    /**
     * Waits until the futures meet {@code mode} or the timeout passes, whichever comes first, and says
     * which are done. Never throws for a failed future: inspect the done ones. Other futures are accepted
     * too; those that are neither jwren's nor {@link java.util.concurrent.CompletableFuture}s are polled.
     *
     * @param futures the futures to watch
     * @param mode    when to stop waiting
     * @param timeout the longest wait, or null for no limit
     * @param <F>     the type of the futures
     * @return the futures done and not done when the wait ended, each in the order given
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    <F extends Future<?>> AwaitResult<F> await(Collection<F> futures, Await mode, Duration timeout)
            throws InterruptedException;

    /**
     * This executor as a {@link java.util.concurrent.ExecutorService}, so that a program written against the JDK's
     * interface runs its tasks on this executor's backend unchanged (Crucial's drop-in idea). Every task must be
     * {@link java.io.Serializable}: a {@link SerializableCallable}, or a lambda cast to an intersection type such
     * as {@code (Callable<T> & Serializable) () -> ...}; any other task is refused with an
     * {@link IllegalArgumentException} that says so. {@code invokeAll} and {@code invokeAny} run their tasks as one
     * map; {@code invokeAny} cancels the rest once one succeeds. {@code shutdown}, {@code shutdownNow},
     * {@code awaitTermination} and {@code isTerminated} behave as the JDK documents; since every task is handed to
     * the backend when it is submitted, {@code shutdownNow} cancels them all and returns an empty list. Closing this
     * executor shuts the service down as {@code shutdownNow} does.
     *
     * <pre>{@code
     * ExecutorService pool = Executor.builder().backend("lambda").build().asExecutorService();
     * Future<Integer> f = pool.submit((Callable<Integer> & Serializable) () -> 6 * 7);
     * }</pre>
     *
     * @return the service of this executor: the same one on every call
     */
    java.util.concurrent.ExecutorService asExecutorService();

    /**
     * The configured storage ({@code jwren.storage}) as a store for the user's own objects. The store is
     * serializable: capture it in a function and use it where the function runs, with that side's own credentials.
     *
     * @return a store whose keys are relative to this executor's storage location
     * @see ObjectStore
     */
    default ObjectStore storage() {
        return new StoredObjects(config());
    }

    /** {@return this executor's id, random per executor; job ids start with it} */
    String id();

    /** {@return the resolved configuration this executor was built from} */
    Config config();

    /** Releases threads, worker processes and clients; waits for nothing. Calls still running are cancelled. */
    @Override
    void close();

    /** Settings for a new executor, over the configuration chain. Not thread-safe. */
    interface Builder {
        /**
         * Chooses where calls run: sets {@code jwren.backend}.
         *
         * @param name "threads" | "processes" | "lambda" | "k8s", or any backend found through ServiceLoader
         * @return this builder
         */
        Builder backend(String name);

        /**
         * Chooses where jobs are staged: sets {@code jwren.storage}.
         *
         * @param uri "file:///dir" | "s3://bucket/prefix", or any scheme a storage provider handles
         * @return this builder
         */
        Builder storage(String uri);

        /**
         * Sets any key; it wins over every other layer of the chain (see {@link Config}).
         *
         * @param key   a key that starts with {@code jwren.}
         * @param value its value, or null to leave the key to the rest of the chain
         * @return this builder
         * @throws IllegalArgumentException if {@code key} does not start with {@code jwren.}
         */
        Builder property(String key, String value);

        /**
         * Resolves the configuration, warns once per JVM about each key no module declares, and creates the
         * executor through the engine on the class path.
         *
         * @return a new executor; close it when done
         * @throws IllegalStateException    if no engine is on the class path
         * @throws IllegalArgumentException if no backend of the configured name is on the class path, or a setting is malformed
         */
        Executor build();
    }
}

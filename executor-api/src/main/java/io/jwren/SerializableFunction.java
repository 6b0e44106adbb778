package io.jwren;

import java.io.Serializable;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.function.Function;

/**
 * A function that jwren can ship to another JVM; plain lambda syntax produces one. The method a lambda implements
 * is {@link #call}, which may throw checked exceptions (as in Spark's Java API): a map that reads files or calls a
 * service needs no wrapping, and what it throws reaches {@code get()} as the cause of the
 * {@link java.util.concurrent.ExecutionException}, with its original type where its class loads on the client.
 * It stays a {@link Function}, so the same object also works in {@code stream.map(f)}.
 *
 * @param <T> the type of the input
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
    /**
     * Computes the result; jwren's workers call this.
     *
     * @param t the input
     * @return the result
     * @throws Exception whatever the function throws: it becomes the call's failure
     */
    R call(T t) throws Exception;

    /**
     * Calls {@link #call} for code that expects a {@link Function}: unchecked exceptions and errors pass as they
     * are, a checked exception is wrapped in an {@link UndeclaredThrowableException}.
     *
     * @param t the input
     * @return the result of {@link #call}
     * @throws UndeclaredThrowableException if {@link #call} threw a checked exception (its cause)
     */
    @Override
    default R apply(T t) {
        try {
            return call(t);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e);
        }
    }
}

package io.jwren;

import java.io.Serializable;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.function.BinaryOperator;

/**
 * A {@link BinaryOperator} that is also {@link Serializable}: the reducer of {@code mapReduce}. jwren runs it on the
 * client, folding results as they arrive; it is serializable so that a closure which captures it can still ship.
 * The method a lambda implements is {@link #call}, which may throw checked exceptions; it stays a
 * {@link BinaryOperator} through {@link #apply}.
 *
 * @param <T> the type of the operands and the result
 */
@FunctionalInterface
public interface SerializableBinaryOperator<T> extends BinaryOperator<T>, Serializable {
    /**
     * Combines two values; jwren calls this.
     *
     * @param a the value folded so far
     * @param b the next value
     * @return the combination
     * @throws Exception whatever the operator throws: it fails the reduction
     */
    T call(T a, T b) throws Exception;

    /**
     * Calls {@link #call} for code that expects a {@link BinaryOperator}: unchecked exceptions and errors pass as
     * they are, a checked exception is wrapped in an {@link UndeclaredThrowableException}.
     *
     * @param a the value folded so far
     * @param b the next value
     * @return the result of {@link #call}
     * @throws UndeclaredThrowableException if {@link #call} threw a checked exception (its cause)
     */
    @Override
    default T apply(T a, T b) {
        try {
            return call(a, b);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e);
        }
    }
}

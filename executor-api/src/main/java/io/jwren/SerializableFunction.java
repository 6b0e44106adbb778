package io.jwren;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that jwren can ship to another JVM; plain lambda syntax produces one.
 *
 * @param <T> the type of the input
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}

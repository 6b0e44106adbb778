package io.jwren;

import java.io.Serializable;
import java.util.function.BinaryOperator;

/**
 * A {@link BinaryOperator} that is also {@link Serializable}: the reducer of {@code mapReduce}. jwren runs it on the
 * client, folding results as they arrive; it is serializable so that a closure which captures it can still ship.
 *
 * @param <T> the type of the operands and the result
 */
@FunctionalInterface
public interface SerializableBinaryOperator<T> extends BinaryOperator<T>, Serializable {}

package io.jwren;

import java.io.Serializable;
import java.util.function.BinaryOperator;

/** A {@link BinaryOperator} that jwren can ship to another JVM; used as the reducer of {@code mapReduce}. */
@FunctionalInterface
public interface SerializableBinaryOperator<T> extends BinaryOperator<T>, Serializable {}

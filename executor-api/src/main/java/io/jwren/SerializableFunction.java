package io.jwren;

import java.io.Serializable;
import java.util.function.Function;

/** A {@link Function} that jwren can ship to another JVM; plain lambda syntax produces one. */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}

package io.jwren;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that jwren can ship to another JVM; plain lambda syntax produces one.
 *
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {}

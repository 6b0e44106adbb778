package io.jwren;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A {@link Callable} that jwren can ship to another JVM; plain lambda syntax produces one. */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {}

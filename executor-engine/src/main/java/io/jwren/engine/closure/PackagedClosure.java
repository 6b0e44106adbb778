package io.jwren.engine.closure;

import java.util.List;

/**
 * A closure made ready to ship.
 *
 * @param function      the serialized closure (and any state it needs restored on the worker)
 * @param bundles       the classes it needs that the worker runtime lacks
 * @param maxClassMajor the highest class-file major version among the shipped classes (0 if none)
 * @param userLoader    the loader of the closure's own classes; results and errors are decoded with it
 */
public record PackagedClosure(byte[] function, List<ClassBundle> bundles, int maxClassMajor, ClassLoader userLoader) {}

/**
 * Closure shipping. On the client, {@link io.jwren.engine.closure.ClosurePackager} serializes a lambda and what
 * it captures with Kryo, refuses values that mean nothing on another JVM with a
 * {@link io.jwren.NotShippableException}, finds the classes a worker lacks (with ASM) and packs them into
 * content-addressed bundles. On a worker (or a client attaching to a job),
 * {@link io.jwren.engine.closure.BundleCache} loads the bundles and
 * {@link io.jwren.engine.closure.ClosureReader} rebuilds the closure. Kryo and ASM are relocated into the engine's
 * jar. Internal: public only for jwren's other modules, and not a stable API.
 */
package io.jwren.engine.closure;

/**
 * The objects a job keeps in storage and their encodings, as docs/PROTOCOL.md describes them: where they live
 * ({@link io.jwren.engine.protocol.JobKeys}), the manifest, the inputs and their index
 * ({@link io.jwren.engine.protocol.InputsCodec}), and the result object of each invocation
 * ({@link io.jwren.engine.protocol.ResultCodec}). The client, the workers and the {@code jwren} command read and
 * write them through these classes. The format is versioned by the manifest's protocol number; the classes are
 * internal, public only for jwren's other modules, and not a stable API.
 */
package io.jwren.engine.protocol;

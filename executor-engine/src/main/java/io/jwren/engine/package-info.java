/**
 * The engine behind {@link io.jwren.Executor}, found through {@link java.util.ServiceLoader} as
 * {@link io.jwren.engine.JWrenEngine}: it packages a map's closure, splits the calls into invocations, stages
 * them in storage (or runs them in process), hands them to the backend, and completes the call futures, deciding
 * on timeouts, retries and speculative copies on the way. {@link io.jwren.engine.CallRunner} runs calls the same
 * way in process and on workers. Internal: public only for jwren's other modules, and not a stable API.
 */
package io.jwren.engine;

/**
 * jwren's public API: map Java lambdas over many inputs on threads, local worker JVMs or the cloud, and
 * gather the results. Start with {@link io.jwren.Executor}; {@link io.jwren.MapOptions} tunes one map,
 * {@link io.jwren.Config} holds the {@code jwren.*} settings, and {@link io.jwren.ObjectChunk} maps over
 * byte ranges of stored objects. This package and {@code io.jwren.spi} are the stable surface; the engine
 * and the backends behind them are found on the class path and may change.
 */
package io.jwren;

/**
 * The service provider interface: what a backend ({@link io.jwren.spi.Backend}), a storage
 * ({@link io.jwren.spi.Storage}) or the engine ({@link io.jwren.spi.EngineProvider}) implements, and the
 * registry of declared settings ({@link io.jwren.spi.Settings}). Implementations are found through
 * {@link java.util.ServiceLoader} by {@link io.jwren.spi.Providers}. Applications use {@code io.jwren}; they
 * need this package only to write a backend or a storage of their own.
 */
package io.jwren.spi;

/**
 * The backends that run on this machine, found through {@link java.util.ServiceLoader}: {@code threads} (the
 * default), a thread pool in this JVM with no storage round trip, and {@code processes}, a pool of worker JVMs
 * that read jobs from storage and write results there as cloud workers do, with the {@code jwren.processes.*}
 * settings. Internal: choose them with {@code jwren.backend}; the classes are not a stable API.
 */
package io.jwren.local;

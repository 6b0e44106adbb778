/**
 * The storages that come with the engine, found through {@link java.util.ServiceLoader} by URI scheme:
 * {@code file:///dir}, a local directory that several worker JVMs can share (the default), and
 * {@code mem://name}, heap storage within one JVM for tests and in-process use. Internal: choose them with
 * {@code jwren.storage}; the classes are not a stable API.
 */
package io.jwren.storage;

/**
 * Test fixtures that jwren's modules share, such as {@link io.jwren.testing.HangOnce}, a straggler for worker
 * JVMs on this machine. jwren-testing is a test-scope dependency of jwren's own modules: not a stable API, and
 * never part of an application.
 */
package io.jwren.testing;

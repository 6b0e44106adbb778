/**
 * The {@code jwren} command ({@link io.jwren.cli.JWrenCli}): list the jobs in a storage, show what their calls
 * printed, clean them up, show the configuration, and deploy workers. The command line is the interface; the
 * classes are internal and not a stable API.
 */
package io.jwren.cli;

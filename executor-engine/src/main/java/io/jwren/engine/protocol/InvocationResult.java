package io.jwren.engine.protocol;

import java.util.List;

/**
 * The result object of one invocation: {@code jobs/<jobId>/results/<invocation>}.
 *
 * @param invocation the invocation number
 * @param attempt    which attempt wrote it
 * @param workerId   the worker that ran it
 * @param logTail    the end of what the calls printed to stdout/stderr on the worker
 * @param calls      one outcome per call, in call order
 */
public record InvocationResult(int invocation, int attempt, String workerId, String logTail, List<CallOutcome> calls) {}

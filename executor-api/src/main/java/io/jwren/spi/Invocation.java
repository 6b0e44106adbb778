package io.jwren.spi;

/**
 * One unit of work handed to a backend: a contiguous chunk of a map's calls.
 *
 * @param jobId       the job (map) it belongs to
 * @param number      0-based invocation number; its result goes to {@code jobs/<jobId>/results/<number>}
 * @param firstCall   index of its first call in the map
 * @param callCount   how many calls, from {@code firstCall} on
 * @param attempt     0 for the first run, then 1, 2, ... for retries
 * @param inputOffset byte offset of its inputs in {@code jobs/<jobId>/inputs}, or -1 when the worker
 *                    must read it from the inputs index (in-process backends ignore it)
 * @param inputLength byte length of its inputs, or -1 likewise
 */
public record Invocation(String jobId, int number, int firstCall, int callCount, int attempt,
                         long inputOffset, long inputLength) {

    /** {@return the same invocation at the next attempt} */
    public Invocation nextAttempt() {
        return new Invocation(jobId, number, firstCall, callCount, attempt + 1, inputOffset, inputLength);
    }

    /** {@return a compact single-line form for command channels: {@code jobId number firstCall callCount attempt offset length}} */
    public String toLine() {
        return jobId + ' ' + number + ' ' + firstCall + ' ' + callCount + ' ' + attempt + ' ' + inputOffset + ' ' + inputLength;
    }

    /**
     * Reads the form {@link #toLine()} writes.
     *
     * @param line seven fields separated by single spaces; blanks around them are ignored
     * @return the invocation
     * @throws IllegalArgumentException if the line does not have that form
     */
    public static Invocation fromLine(String line) {
        String[] p = line.trim().split(" ");
        if (p.length != 7) throw new IllegalArgumentException("not an invocation line: '" + line + "'");
        return new Invocation(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                Integer.parseInt(p[4]), Long.parseLong(p[5]), Long.parseLong(p[6]));
    }
}

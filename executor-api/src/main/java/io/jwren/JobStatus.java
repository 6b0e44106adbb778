package io.jwren;

/**
 * A snapshot of a map's progress, counted from its call futures.
 *
 * @param jobId     the map's job id
 * @param calls     calls in the map
 * @param succeeded calls that returned a value
 * @param failed    calls that threw, timed out, were lost or were cancelled
 * @param running   calls whose invocation a worker has started and not finished
 */
public record JobStatus(String jobId, int calls, int succeeded, int failed, int running) {
    /** {@return the calls done, successfully or not} */
    public int done() {
        return succeeded + failed;
    }

    /** {@return true when every call is done} */
    public boolean finished() {
        return done() == calls;
    }
}

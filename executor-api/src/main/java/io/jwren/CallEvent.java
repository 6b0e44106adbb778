package io.jwren;

import java.time.Instant;

/**
 * Something that happened to one call of a map, as a {@link CallListener} sees it.
 *
 * @param jobId    the map's job id
 * @param index    position of the call's input in its map
 * @param kind     what happened
 * @param attempt  the attempt it happened on, 0 for the first run; for {@link Kind#RETRIED}, the attempt that
 *                 starts now (1, 2, ...); for {@link Kind#RERAN}, the attempt that ran the call again
 * @param workerId the worker that ran it; null for a retry, "none" when no worker reported
 * @param submitted when the client handed the call's invocation to the backend (null for a retry)
 * @param started  when the worker began the call (null for a retry)
 * @param finished when the worker finished the call (null for a retry)
 * @param error    why it failed, is being retried or was run again ({@link WorkerLostException},
 *                 {@link CallTimeoutException}, your own exception); null when it succeeded
 */
public record CallEvent(String jobId, int index, Kind kind, int attempt, String workerId, Instant submitted,
                        Instant started, Instant finished, Throwable error) {
    /** What happened to the call. */
    public enum Kind {
        /** It returned a value: {@link CallListener#done}. */
        DONE,
        /** It failed for good: {@link CallListener#failed}. */
        FAILED,
        /** Its invocation is run again: {@link CallListener#retried}. */
        RETRIED,
        /** It threw a {@link MapOptions#retryOn()} type and its worker ran it again: {@link CallListener#reran}. */
        RERAN
    }
}

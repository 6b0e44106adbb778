package io.jwren;

/**
 * When {@link Executor#await} returns, as in Python's {@code concurrent.futures.wait}. With no futures
 * at all it returns at once.
 */
public enum Await {
    /** As soon as any future is done (or the timeout passes). */
    ANY,
    /** When every future is done (or the timeout passes). */
    ALL,
    /**
     * When any future fails or is cancelled, or else when every one is done (or the timeout passes).
     * A failed future is one whose {@code get} would throw.
     */
    FIRST_EXCEPTION
}

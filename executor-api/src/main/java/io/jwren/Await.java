package io.jwren;

/** When {@link Executor#await} returns, as in Python's {@code concurrent.futures.wait}. */
public enum Await {
    /** As soon as any future is done (or the timeout passes). */
    ANY,
    /** When every future is done (or the timeout passes). */
    ALL,
    /** When any future fails, or else when every one is done (or the timeout passes). */
    FIRST_EXCEPTION
}

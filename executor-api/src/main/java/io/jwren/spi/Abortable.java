package io.jwren.spi;

import java.io.OutputStream;

/**
 * A stream from {@link Storage#create} that can be dropped instead of closed: nothing becomes visible at its
 * key and what was already sent is discarded (a multipart upload aborted, a temp file deleted). Writers
 * that fail half-way use {@link #discard}, so a broken upload is never published.
 */
public interface Abortable {
    /** Drops the object being written; closing afterwards does nothing. Best effort, never throws. */
    void abort();

    /**
     * Aborts {@code out} if it can be; otherwise leaves it unclosed, which for a stream from create() publishes nothing.
     *
     * @param out a stream from {@link Storage#create}
     */
    static void discard(OutputStream out) {
        if (out instanceof Abortable a) a.abort();
    }
}

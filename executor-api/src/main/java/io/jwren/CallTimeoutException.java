package io.jwren;

import java.time.Duration;

/** A call ran past its timeout on every attempt it was given. */
public class CallTimeoutException extends JWrenException {
    private final int callIndex;
    private final Duration timeout;
    private final int attempts;

    /**
     * A call that timed out.
     *
     * @param callIndex position of the call in its map
     * @param timeout   the timeout each call had
     * @param attempts  how many times its invocation ran
     * @param detail    more about it for the message, or null
     */
    public CallTimeoutException(int callIndex, Duration timeout, int attempts, String detail) {
        super("call " + callIndex + " ran past its timeout of " + timeout.toMillis() + " ms on "
                + attempts + (attempts == 1 ? " attempt" : " attempts") + (detail == null ? "" : " (" + detail + ")"));
        this.callIndex = callIndex;
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /** {@return the position of the call in its map} */
    public int callIndex() {
        return callIndex;
    }

    /** {@return the timeout each call had} */
    public Duration timeout() {
        return timeout;
    }

    /** {@return how many times the call's invocation ran} */
    public int attempts() {
        return attempts;
    }
}

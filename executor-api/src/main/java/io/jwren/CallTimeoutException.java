package io.jwren;

import java.time.Duration;

/** A call ran past its timeout on every attempt it was given. */
public class CallTimeoutException extends JWrenException {
    private final int callIndex;
    private final Duration timeout;
    private final int attempts;

    public CallTimeoutException(int callIndex, Duration timeout, int attempts, String detail) {
        super("call " + callIndex + " ran past its timeout of " + timeout.toMillis() + " ms on "
                + attempts + (attempts == 1 ? " attempt" : " attempts") + (detail == null ? "" : " (" + detail + ")"));
        this.callIndex = callIndex;
        this.timeout = timeout;
        this.attempts = attempts;
    }

    public int callIndex() {
        return callIndex;
    }

    public Duration timeout() {
        return timeout;
    }

    public int attempts() {
        return attempts;
    }
}

package io.jwren;

/** The worker running a call died (or vanished) on every attempt the call was given. */
public class WorkerLostException extends JWrenException {
    private final int callIndex;
    private final int attempts;

    public WorkerLostException(int callIndex, int attempts, String detail) {
        super("call " + callIndex + " was lost with its worker on " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (detail == null ? "" : ": " + detail));
        this.callIndex = callIndex;
        this.attempts = attempts;
    }

    public int callIndex() {
        return callIndex;
    }

    public int attempts() {
        return attempts;
    }
}

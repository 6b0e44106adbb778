package io.jwren;

/** The worker running a call died (or vanished) on every attempt the call was given. */
public class WorkerLostException extends JWrenException {
    private final int callIndex;
    private final int attempts;

    /**
     * A call whose worker was lost.
     *
     * @param callIndex position of the call in its map
     * @param attempts  how many times its invocation ran
     * @param detail    what the backend said about the loss, or null
     */
    public WorkerLostException(int callIndex, int attempts, String detail) {
        super("call " + callIndex + " was lost with its worker on " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (detail == null ? "" : ": " + detail));
        this.callIndex = callIndex;
        this.attempts = attempts;
    }

    /** {@return the position of the call in its map} */
    public int callIndex() {
        return callIndex;
    }

    /** {@return how many times the call's invocation ran} */
    public int attempts() {
        return attempts;
    }
}

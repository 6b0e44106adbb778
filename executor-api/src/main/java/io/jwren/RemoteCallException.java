package io.jwren;

/**
 * A call failed remotely with an exception whose class cannot be loaded (or rebuilt) on the client.
 * It carries the remote class name and message, and its stack trace is the remote one.
 */
public class RemoteCallException extends JWrenException {
    private final String remoteClassName;
    private final String remoteMessage;
    private final int callIndex;

    /**
     * A remote failure rebuilt on the client.
     *
     * @param remoteClassName  binary name of the remote exception's class
     * @param remoteMessage    its message, or null
     * @param callIndex        position of the call in its map
     * @param remoteStackTrace its stack trace, which becomes this exception's
     */
    public RemoteCallException(String remoteClassName, String remoteMessage, int callIndex,
                               StackTraceElement[] remoteStackTrace) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (call " + callIndex + ")");
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.callIndex = callIndex;
        setStackTrace(remoteStackTrace);
    }

    /** {@return the binary name of the remote exception's class} */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** {@return the remote exception's message, or null} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** {@return the position of the call in its map} */
    public int callIndex() {
        return callIndex;
    }
}

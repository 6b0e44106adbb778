package io.jwren;

/**
 * A call failed remotely with an exception whose class cannot be loaded (or rebuilt) on the client.
 * It carries the remote class name and message, and its stack trace is the remote one.
 */
public class RemoteCallException extends JWrenException {
    private final String remoteClassName;
    private final String remoteMessage;
    private final int callIndex;

    public RemoteCallException(String remoteClassName, String remoteMessage, int callIndex,
                               StackTraceElement[] remoteStackTrace) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (call " + callIndex + ")");
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.callIndex = callIndex;
        setStackTrace(remoteStackTrace);
    }

    public String remoteClassName() {
        return remoteClassName;
    }

    public String remoteMessage() {
        return remoteMessage;
    }

    public int callIndex() {
        return callIndex;
    }
}

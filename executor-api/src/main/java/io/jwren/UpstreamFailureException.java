package io.jwren;

/**
 * A call of a chained map ({@link MapFuture#thenMap}) did not run because the call it takes its input from failed:
 * the cause is that failure, as the first map's own {@code get()} reports it.
 */
public class UpstreamFailureException extends JWrenException {
    private final String upstreamJobId;
    private final int callIndex;

    /**
     * A call whose input is missing because the call producing it failed.
     *
     * @param upstreamJobId the job id of the map this one chains on
     * @param callIndex     the position of the call in both maps
     * @param cause         what the upstream call failed with
     */
    public UpstreamFailureException(String upstreamJobId, int callIndex, Throwable cause) {
        super("call " + callIndex + " of job " + upstreamJobId + ", whose result is this call's input, failed: " + cause,
                cause);
        this.upstreamJobId = upstreamJobId;
        this.callIndex = callIndex;
    }

    /** {@return the job id of the map this one chains on} */
    public String upstreamJobId() {
        return upstreamJobId;
    }

    /** {@return the position of the call in both maps} */
    public int callIndex() {
        return callIndex;
    }
}

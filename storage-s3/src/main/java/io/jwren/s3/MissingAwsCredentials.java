package io.jwren.s3;

/**
 * Recognises the AWS SDK's "no credentials anywhere" failure and says it plainly: where the SDK's default chain
 * looks, one line each, and what to do. The SDK's own text stays the cause. Used for S3 storage and the Lambda client.
 */
public final class MissingAwsCredentials {
    private MissingAwsCredentials() {}

    /** Whether {@code t}, or one of its causes, is the default chain finding no credentials at all. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.startsWith("Unable to load credentials from any of the providers")) return true;
        }
        return false;
    }

    /** The explanation, for {@code what} needed them ("S3 storage s3://bucket/prefix", "the Lambda client"). */
    public static String explain(String what) {
        return "no AWS credentials found for " + what + ". jwren looks where the AWS SDK's default chain does:\n"
                + "  - environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)\n"
                + "  - system properties: aws.accessKeyId and aws.secretAccessKey\n"
                + "  - web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN\n"
                + "  - profile: ~/.aws/credentials and ~/.aws/config, profile AWS_PROFILE (else default)\n"
                + "  - container: the ECS task role\n"
                + "  - instance: the EC2 instance profile\n"
                + "Run `aws configure`, set AWS_PROFILE to a configured profile, or export AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY.";
    }
}

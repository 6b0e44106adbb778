package io.jwren.local;

/**
 * The {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties, where the AWS default
 * chain finds credentials in this JVM and from which the processes backend hands them to its workers.
 * {@link #set} returns the values it replaced, so a test class can put them back.
 */
record AwsProperties(String accessKeyId, String secretAccessKey) {
    private static final String KEY_ID = "aws.accessKeyId";
    private static final String SECRET = "aws.secretAccessKey";

    static AwsProperties set(String accessKeyId, String secretAccessKey) {
        AwsProperties previous = new AwsProperties(System.getProperty(KEY_ID), System.getProperty(SECRET));
        new AwsProperties(accessKeyId, secretAccessKey).apply();
        return previous;
    }

    void restore() {
        apply();
    }

    private void apply() {
        put(KEY_ID, accessKeyId);
        put(SECRET, secretAccessKey);
    }

    private static void put(String name, String value) {
        if (value == null) System.clearProperty(name);
        else System.setProperty(name, value);
    }
}

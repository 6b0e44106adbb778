package io.jwren.engine.protocol;

/** Where a job's objects live in storage (docs/PROTOCOL.md). */
public final class JobKeys {
    public static final String JOBS = "jobs/";
    public static final String CLASSES = "classes/";

    private JobKeys() {}

    public static String job(String jobId) {
        return JOBS + jobId + "/";
    }

    public static String manifest(String jobId) {
        return job(jobId) + "manifest";
    }

    public static String function(String jobId) {
        return job(jobId) + "function";
    }

    public static String inputs(String jobId) {
        return job(jobId) + "inputs";
    }

    public static String inputsIndex(String jobId) {
        return job(jobId) + "inputs.index";
    }

    public static String resultsPrefix(String jobId) {
        return job(jobId) + "results/";
    }

    public static String result(String jobId, int invocation) {
        return resultsPrefix(jobId) + invocation;
    }

    /**
     * A call's value stored on its own, being too big for its result object. The token tells apart the
     * attempts that may write it; the result object that wins names the one to read.
     */
    public static String value(String jobId, int call, String token) {
        return job(jobId) + "values/" + call + "-" + token;
    }

    /** Written by the client when a job is cancelled; workers skip invocations of such jobs. */
    public static String cancelled(String jobId) {
        return job(jobId) + "cancelled";
    }

    public static String bundle(String sha256Hex) {
        return CLASSES + sha256Hex + ".jar";
    }

    /** The invocation number of a result key, or -1 if the key is not one. */
    public static int invocationOfResult(String jobId, String key) {
        String prefix = resultsPrefix(jobId);
        if (!key.startsWith(prefix)) return -1;
        try {
            return Integer.parseInt(key.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

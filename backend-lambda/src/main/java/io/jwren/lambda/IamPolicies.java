package io.jwren.lambda;

import java.net.URI;

/**
 * The least-privilege IAM policies jwren on Lambda needs, as JSON documents to paste into IAM:
 * the function's execution role reads and writes objects under the storage prefix (big values go up as
 * multipart uploads, which a failure aborts) and writes its logs; the client does the same on the prefix, deletes
 * there (to clean up jobs), lists it (results as they arrive, jobs to clean up) and invokes the function.
 * Account and region come from the role ARN and the settings; {@code *} where unknown.
 *
 * <p>The function does not list: a worker reads only keys its client stored before invoking it (manifest,
 * bundles, function, inputs and their index) and writes its results. Without {@code s3:ListBucket} S3 answers a
 * read of a missing key with 403 rather than 404; that happens only to a worker still running an attempt of a job
 * the retention sweep has removed, which then reports the attempt lost instead of failing its calls, to a client
 * that stopped waiting long before. The client needs the listing, and that 404: it looks bundles up before writing them.
 */
final class IamPolicies {
    private IamPolicies() {}

    /** The execution role's trust policy: Lambda may assume it. */
    static String trust() {
        return """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                  ]
                }""";
    }

    /** The execution role's permissions: objects under the prefix and the function's logs; no listing. */
    static String function(URI storage, String function, String region, String account) {
        String logGroup = "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/" + function;
        return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n"
                + objects(storage, "\"s3:GetObject\", \"s3:PutObject\", \"s3:AbortMultipartUpload\"") + ",\n"
                + "    {\"Effect\": \"Allow\", \"Action\": \"logs:CreateLogGroup\", \"Resource\": \"" + logGroup + "\"},\n"
                + "    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogStream\", \"logs:PutLogEvents\"], \"Resource\": \""
                + logGroup + ":*\"}\n  ]\n}";
    }

    /** The client's permissions: objects under the prefix (with delete, for cleanup), listing it, invoking the function. */
    static String client(URI storage, String function, String region, String account) {
        String fn = "arn:aws:lambda:" + region + ":" + account + ":function:" + function;
        return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n"
                + objects(storage, "\"s3:GetObject\", \"s3:PutObject\", \"s3:AbortMultipartUpload\", \"s3:DeleteObject\"") + ",\n"
                + list(storage) + ",\n"
                + "    {\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\", \"Resource\": [\"" + fn + "\", \"" + fn
                + ":*\"]}\n  ]\n}";
    }

    /** The account id in an ARN ({@code arn:aws:iam::123456789012:role/x}), or {@code *}. */
    static String account(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : "*";
    }

    private static String objects(URI storage, String actions) {
        return "    {\"Effect\": \"Allow\", \"Action\": [" + actions + "], \"Resource\": \"arn:aws:s3:::" + storage.getHost()
                + "/" + prefix(storage) + "*\"}";
    }

    private static String list(URI storage) {
        return "    {\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::" + storage.getHost()
                + "\", \"Condition\": {\"StringLike\": {\"s3:prefix\": [\"" + prefix(storage) + "*\"]}}}";
    }

    /** {@code s3://bucket/a/b} -> {@code a/b/}; no prefix -> empty. */
    static String prefix(URI storage) {
        if (!"s3".equals(storage.getScheme()) || storage.getHost() == null)
            throw new IllegalArgumentException("the lambda backend needs S3 storage (s3://bucket/prefix), was " + storage);
        String p = storage.getPath() == null ? "" : storage.getPath().replaceAll("^/+|/+$", "");
        return p.isEmpty() ? "" : p + "/";
    }
}

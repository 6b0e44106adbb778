/**
 * AWS services for tests without AWS: moto's server ({@link io.jwren.testing.aws.MotoServer}) from a pinned venv,
 * with S3, the Lambda control plane and IAM, whose authorization a test can switch on.
 */
package io.jwren.testing.aws;

/**
 * AWS Lambda stand-ins for tests: serverless-offline and the official runtime interface client, each serving the
 * real worker jar, and a loopback Invoke endpoint that answers as a test tells it
 * ({@link io.jwren.testing.lambda.LoopbackInvokeSink}). For jwren's own tests; not a stable API.
 */
package io.jwren.testing.lambda;

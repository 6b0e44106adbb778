package io.jwren.local;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A {@code jwren.signing-key} the tests give an executor that submits a job and to one that attaches to it. */
final class SharedSigningKey {
    static final String SETTING = "jwren.signing-key";
    static final String VALUE = Base64.getEncoder().encodeToString(
            "jwren tests: a key two executors share".getBytes(StandardCharsets.US_ASCII));

    private SharedSigningKey() {}
}

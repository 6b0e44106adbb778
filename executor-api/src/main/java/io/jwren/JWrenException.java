package io.jwren;

/**
 * Base of the unchecked exceptions jwren raises itself: storage and protocol failures, timeouts,
 * lost workers, remote failures whose class the client cannot load.
 *
 * <p>One exception stands outside this base on purpose: {@link NotShippableException} extends
 * {@link IllegalArgumentException}, because an unshippable closure or input is a bad argument to
 * {@code map}/{@code submit}, and API.md asks for exactly that type.
 */
public class JWrenException extends RuntimeException {
    public JWrenException(String message) {
        super(message);
    }

    public JWrenException(String message, Throwable cause) {
        super(message, cause);
    }
}

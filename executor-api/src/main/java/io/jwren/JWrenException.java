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
    /**
     * An exception with a message and no cause.
     *
     * @param message what went wrong
     */
    public JWrenException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause   what caused it, or null
     */
    public JWrenException(String message, Throwable cause) {
        super(message, cause);
    }
}

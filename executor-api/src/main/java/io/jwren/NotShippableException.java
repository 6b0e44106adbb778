package io.jwren;

/**
 * Thrown by {@code map}, {@code submit} and {@code mapReduce}, before anything runs, when the closure,
 * an input or the classes they need cannot be shipped to a worker. The message names the offending
 * class and the path to it, e.g. {@code captured arg 1 -> field conn (java.net.Socket)}.
 */
public class NotShippableException extends IllegalArgumentException {
    private final String offendingClass;
    private final String path;

    /**
     * A closure or input that cannot be shipped.
     *
     * @param message        what cannot ship and why, with the path to it
     * @param offendingClass binary name of the class at fault, or null
     * @param path           where the culprit sits, from the closure down
     * @param cause          the serialization failure, or null
     */
    public NotShippableException(String message, String offendingClass, String path, Throwable cause) {
        super(message, cause);
        this.offendingClass = offendingClass;
        this.path = path;
    }

    /** {@return the binary name of the class that could not be shipped, or null where no single class is at fault} */
    public String offendingClass() {
        return offendingClass;
    }

    /** {@return where the culprit sits, from the closure down, e.g. {@code captured arg 1 -> field conn}} */
    public String path() {
        return path;
    }
}

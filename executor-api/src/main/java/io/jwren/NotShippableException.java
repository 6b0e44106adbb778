package io.jwren;

/**
 * Thrown by {@code map}, {@code submit} and {@code mapReduce}, before anything runs, when the closure,
 * an input or the classes they need cannot be shipped to a worker. The message names the offending
 * class and the path to it, e.g. {@code captured arg 1 -> field conn (java.net.Socket)}.
 */
public class NotShippableException extends IllegalArgumentException {
    private final String offendingClass;
    private final String path;

    public NotShippableException(String message, String offendingClass, String path, Throwable cause) {
        super(message, cause);
        this.offendingClass = offendingClass;
        this.path = path;
    }

    /** Binary name of the class that could not be shipped, or null where no single class is at fault. */
    public String offendingClass() {
        return offendingClass;
    }

    /** Where the culprit sits, from the closure down, e.g. {@code captured arg 1 -> field conn}. */
    public String path() {
        return path;
    }
}

package io.jwren.engine.closure;

import io.jwren.NotShippableException;

/** Turns a serialization failure into a {@link NotShippableException} that names the culprit and its path. */
public final class ShippingErrors {
    private ShippingErrors() {}

    /**
     * @param root  what was being shipped, e.g. "the closure", "input 3", "result of call 7"
     * @param value the object at the root
     */
    public static NotShippableException notShippable(String root, Object value, RuntimeException e) {
        String head = "cannot ship " + root + " (" + describe(value) + ")";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShippingFailure f) {
                String path = f.path(value);
                String fullPath = path.isEmpty() ? root : root + " -> " + path;
                String message = head + (path.isEmpty() ? "" : " -> " + path) + ": " + f.reason();
                return new NotShippableException(message, f.culprit().getName(), fullPath, e);
            }
        }
        return new NotShippableException(head + ": " + e.getMessage(), null, root, e);
    }

    /** A readable name for a value's class; lambdas are named by their implementation method. */
    static String describe(Object value) {
        if (value == null) return "null";
        Class<?> c = value.getClass();
        if (c.isSynthetic() && c.getName().contains("$$Lambda")) {
            String impl = LambdaSerializer.implName(value);
            return impl == null ? "lambda " + c.getName() : "lambda " + impl;
        }
        return c.getName();
    }
}

package io.jwren.engine.closure;

import com.esotericsoftware.kryo.KryoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A value met while serializing that cannot be shipped. Kryo's field serializers call
 * {@link #addTrace} with {@code "field (HolderClass)"} as the exception travels up, and the lambda
 * serializer adds {@code "captured arg N (LambdaClass)"}; this keeps those steps so the final message
 * can print the path from the root to the culprit.
 */
final class ShippingFailure extends KryoException {
    private final Class<?> culprit;
    private final String reason;
    private final List<String> steps = new ArrayList<>(); // innermost first, as Kryo adds them

    ShippingFailure(Class<?> culprit, String reason, Throwable cause) {
        super(reason, cause);
        this.culprit = culprit;
        this.reason = reason;
    }

    @Override
    public void addTrace(String info) {
        steps.add(info);
    }

    Class<?> culprit() {
        return culprit;
    }

    String reason() {
        return reason;
    }

    /**
     * The path from the root to the culprit, e.g. {@code captured arg 1 (a.Holder) -> field conn (java.net.Socket)}.
     * Each step names the class of the value it reaches, found by following the steps from the root
     * object; where that is not possible (inside a collection), the class Kryo named is used.
     */
    String path(Object root) {
        List<String> outerFirst = new ArrayList<>(steps);
        Collections.reverse(outerFirst);
        StringBuilder sb = new StringBuilder();
        Object at = root;
        for (int i = 0; i < outerFirst.size(); i++) {
            String step = outerFirst.get(i);
            int paren = step.indexOf(" (");
            String label = paren < 0 ? step : step.substring(0, paren);
            Object next = follow(at, label);
            if (!label.startsWith("captured arg ")) label = "field " + label;
            String valueClass = next != null ? ShippingErrors.describe(next)
                    : i + 1 < outerFirst.size() ? holderOf(outerFirst.get(i + 1)) : culprit.getName();
            if (sb.length() > 0) sb.append(" -> ");
            sb.append(label).append(" (").append(valueClass).append(')');
            at = next;
        }
        return sb.toString();
    }

    /** The value one step below {@code at}, or null if it cannot be told. */
    private static Object follow(Object at, String label) {
        if (at == null) return null;
        try {
            if (label.startsWith("captured arg ")) {
                int n = Integer.parseInt(label.substring("captured arg ".length()).trim());
                return LambdaSerializer.serializedForm(at).getCapturedArg(n - 1);
            }
            for (Class<?> c = at.getClass(); c != null; c = c.getSuperclass()) {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    if (f.getName().equals(label) && !java.lang.reflect.Modifier.isStatic(f.getModifiers())
                            && f.trySetAccessible()) return f.get(at);
                }
            }
        } catch (RuntimeException | ReflectiveOperationException e) {
            // Fall back to what Kryo named.
        }
        return null;
    }

    private static String holderOf(String step) {
        int open = step.indexOf(" (");
        return open < 0 ? "?" : step.substring(open + 2, step.length() - 1);
    }

    @Override
    public String getMessage() {
        String p = path(null);
        return (p.isEmpty() ? culprit.getName() : p) + ": " + reason;
    }
}

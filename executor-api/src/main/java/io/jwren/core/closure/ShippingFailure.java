package io.jwren.core.closure;

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
     * Each step names the class of the value it reaches: the holder named by the next step, or the culprit.
     */
    String path() {
        List<String> outerFirst = new ArrayList<>(steps);
        Collections.reverse(outerFirst);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < outerFirst.size(); i++) {
            String step = outerFirst.get(i);
            int paren = step.indexOf(" (");
            String label = paren < 0 ? step : step.substring(0, paren);
            if (!label.startsWith("captured arg ") && !label.startsWith("static ")) label = "field " + label;
            String valueClass = i + 1 < outerFirst.size() ? holderOf(outerFirst.get(i + 1)) : culprit.getName();
            if (sb.length() > 0) sb.append(" -> ");
            sb.append(label).append(" (").append(valueClass).append(')');
        }
        return sb.toString();
    }

    private static String holderOf(String step) {
        int open = step.indexOf(" (");
        return open < 0 ? "?" : step.substring(open + 2, step.length() - 1);
    }

    @Override
    public String getMessage() {
        String p = path();
        return (p.isEmpty() ? culprit.getName() : p) + ": " + reason;
    }
}

package io.jwren.core.closure;

import com.esotericsoftware.kryo.KryoException;
import io.jwren.NotShippableException;

/** Turns a serialization failure into a {@link NotShippableException} that names the culprit and its path. */
public final class ShippingErrors {
    private ShippingErrors() {}

    /**
     * @param root  what was being shipped, e.g. "closure", "input 3", "result of call 7"
     * @param value the object at the root
     */
    public static NotShippableException notShippable(String root, Object value, RuntimeException e) {
        String detail = e instanceof KryoException ? e.getMessage() : String.valueOf(e);
        return new NotShippableException("cannot ship " + root + " (" + (value == null ? "null" : value.getClass().getName())
                + "): " + detail, null, root, e);
    }
}

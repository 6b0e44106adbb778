package io.jwren.examples;

import java.util.List;

/** A bench whose calls return wrong results measures nothing: make sure every identity call came back. */
final class IdentityCheck {
    private IdentityCheck() {}

    static void require(List<Integer> out, List<Integer> inputs, String what) {
        if (!out.equals(inputs))
            throw new IllegalStateException(what + " returned wrong results (" + out.size() + " values for "
                    + inputs.size() + " inputs)");
    }
}

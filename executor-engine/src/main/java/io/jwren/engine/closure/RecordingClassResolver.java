package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A class resolver for the writing side: it remembers every class Kryo meets, which are the roots of
 * the class walk, and refuses the types in {@link RefusedTypes} the first time one is met, before
 * Kryo tries to reflect into it.
 */
final class RecordingClassResolver extends DefaultClassResolver {
    private final Set<Class<?>> met = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    @SuppressWarnings("rawtypes")
    public Registration getRegistration(Class type) {
        // Kryo looks lambdas up as ClosureSerializer.Closure: a tag registered on both sides of the wire,
        // not a class to ship (it would make every lambda ship the Kryo jar to shaded workers).
        if (type != ClosureSerializer.Closure.class && met.add(type)) {
            String reason = RefusedTypes.reasonFor(type);
            if (reason != null) {
                met.remove(type);
                throw new ShippingFailure(type, reason, null);
            }
        }
        return super.getRegistration(type);
    }

    /** Records a class known only by name, such as the class holding a lambda's code. */
    void noteByName(String name, ClassLoader loader) {
        try {
            met.add(Class.forName(name, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            // Not loadable here means it cannot be shipped from here either; the walk reports what is missing.
        }
    }

    Set<Class<?>> met() {
        return met;
    }
}

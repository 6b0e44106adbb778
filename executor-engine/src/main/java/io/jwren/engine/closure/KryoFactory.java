package io.jwren.engine.closure;

import com.esotericsoftware.kryo.ClassResolver;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.util.Set;

/**
 * Builds the Kryo instances used on both sides of the wire, configured identically. Kryo is not
 * thread-safe and caches name-to-class lookups, so use one instance per thread and class loader.
 */
public final class KryoFactory {
    private KryoFactory() {}

    /** A Kryo for reading, or for writing where the classes met need not be known. */
    public static Kryo newKryo(ClassLoader loader) {
        return configure(new DefaultClassResolver(), loader);
    }

    /**
     * A Kryo for writing what will be shipped: it refuses values that cannot travel (threads, sockets,
     * streams...) with their path, and remembers the classes it met; see {@link #classesMet}.
     */
    public static Kryo newShippingKryo(ClassLoader loader) {
        return configure(new RecordingClassResolver(), loader);
    }

    /** The classes a {@link #newShippingKryo shipping Kryo} has met so far. */
    public static Set<Class<?>> classesMet(Kryo kryo) {
        if (kryo.getClassResolver() instanceof RecordingClassResolver r) return r.met();
        throw new IllegalArgumentException("not a shipping Kryo");
    }

    /** Clears what a shipping Kryo met, for its reuse by {@link KryoPool}. */
    static void forgetClassesMet(Kryo kryo) {
        classesMet(kryo).clear();
    }

    private static Kryo configure(ClassResolver resolver, ClassLoader loader) {
        Kryo kryo = new Kryo(resolver, new MapReferenceResolver());
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true); // cyclic graphs and shared objects
        kryo.setClassLoader(loader);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.setDefaultSerializer(new JdkSerializers());
        CollectionCopySerializer.register(kryo);
        kryo.register(ClosureSerializer.Closure.class, new LambdaSerializer());
        return kryo;
    }
}

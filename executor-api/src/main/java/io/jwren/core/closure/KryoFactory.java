package io.jwren.core.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Builds the Kryo instances used on both sides of the wire, configured identically. Kryo is not
 * thread-safe and caches name-to-class lookups, so use one instance per thread and class loader.
 */
public final class KryoFactory {
    private KryoFactory() {}

    public static Kryo newKryo(ClassLoader loader) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setClassLoader(loader);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        FieldSerializer.FieldSerializerConfig fields = new FieldSerializer.FieldSerializerConfig();
        fields.setIgnoreSyntheticFields(false); // inner-class instances need this$0
        kryo.setDefaultSerializer(new com.esotericsoftware.kryo.SerializerFactory.FieldSerializerFactory(fields));
        kryo.register(ClosureSerializer.Closure.class, new LambdaSerializer());
        return kryo;
    }
}

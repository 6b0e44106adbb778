package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * How Kryo serializes types it has no built-in serializer for. User types get a field serializer
 * that keeps synthetic fields ({@code this$0} of inner-class instances). JDK types whose packages are
 * closed to reflection on Java 17 ({@code Random}, {@code AtomicLong}, {@code Pattern}, ...) cannot
 * be read field by field; those that are {@link Serializable} go through Java serialization, which
 * the JDK grants access to, and the rest are refused with a clear message instead of an
 * {@code InaccessibleObjectException}.
 */
final class JdkSerializers implements SerializerFactory<Serializer<?>> {
    private final FieldSerializer.FieldSerializerConfig fields = new FieldSerializer.FieldSerializerConfig();

    JdkSerializers() {
        fields.setIgnoreSyntheticFields(false);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Serializer<?> newSerializer(Kryo kryo, Class type) {
        Class<?> closed = closedStateHolder(type);
        if (closed == null) return new FieldSerializer<>(kryo, type, fields.clone());
        if (Serializable.class.isAssignableFrom(type)) return new JavaSerializer();
        String why = closed == type
                ? type.getName() + " keeps its state in private fields of module " + type.getModule().getName()
                  + ", which Java does not let serializers read, and it is not Serializable"
                : type.getName() + " extends " + closed.getName() + ", whose private state Java does not let "
                  + "serializers read, and it is not Serializable";
        return new Refusing(type, why + "; build it inside the function instead");
    }

    @Override
    public boolean isSupported(Class type) {
        return true;
    }

    /** The first class up the hierarchy with instance fields in a package closed to us, or null. */
    private static Class<?> closedStateHolder(Class<?> type) {
        Module us = JdkSerializers.class.getModule();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Module m = c.getModule();
            if (!m.isNamed() || m.isOpen(c.getPackageName(), us)) continue;
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) return c;
            }
        }
        return null;
    }

    /** Fails when a value of the type is actually written; merely looking a type up is harmless. */
    private static final class Refusing extends Serializer<Object> {
        private final Class<?> type;
        private final String why;

        Refusing(Class<?> type, String why) {
            this.type = type;
            this.why = why;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            throw new ShippingFailure(type, why, null);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> t) {
            throw new ShippingFailure(type, why, null);
        }
    }
}

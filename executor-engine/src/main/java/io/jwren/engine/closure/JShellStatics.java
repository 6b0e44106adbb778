package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * JShell keeps each top-level variable as a static field of a wrapper class ({@code REPL.$JShell$12.k}),
 * so a lambda reading {@code k} captures nothing: shipping the class alone would give the worker
 * {@code k == 0}. The values of the shipped wrappers' statics are therefore taken at submit and put
 * back on the worker before the function runs. A variable that cannot travel (the executor itself,
 * an open stream) is left out and reads as null there, since the function rarely needs it.
 */
final class JShellStatics {
    private JShellStatics() {}

    static boolean isReplClass(String internalName) {
        return internalName.startsWith("REPL/$JShell$");
    }

    /** One static's value, serialized on its own so one that cannot travel does not spoil the others. */
    record Value(String className, String field, byte[] bytes, Set<Class<?>> classesMet) {}

    static List<Value> snapshot(String internalName, ClassLoader loader) {
        List<Value> values = new ArrayList<>();
        Class<?> wrapper;
        try {
            wrapper = Class.forName(internalName.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return values;
        }
        for (Field f : wrapper.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isStatic(mod) || Modifier.isFinal(mod) || f.isSynthetic()) continue;
            try {
                f.setAccessible(true);
                Object value = f.get(null);
                if (value == null) continue;
                Kryo kryo = KryoFactory.newShippingKryo(loader);
                Output out = new Output(256, -1);
                kryo.writeClassAndObject(out, value);
                values.add(new Value(wrapper.getName(), f.getName(), out.toBytes(), Set.copyOf(KryoFactory.classesMet(kryo))));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Cannot travel: the worker sees the field's default value.
            }
        }
        return values;
    }

    static void write(Output out, List<Value> values) {
        out.writeVarInt(values.size(), true);
        for (Value v : values) {
            out.writeString(v.className());
            out.writeString(v.field());
            out.writeVarInt(v.bytes().length, true);
            out.writeBytes(v.bytes());
        }
    }

    /** Reads the statics written by {@link #write} and sets them in the job's loader. */
    static void restore(Input in, ClassLoader loader) {
        int n = in.readVarInt(true);
        for (int i = 0; i < n; i++) {
            String className = in.readString();
            String field = in.readString();
            byte[] bytes = in.readBytes(in.readVarInt(true));
            try {
                Field f = Class.forName(className, true, loader).getDeclaredField(field);
                f.setAccessible(true);
                f.set(null, KryoFactory.newKryo(loader).readClassAndObject(new Input(bytes)));
            } catch (ReflectiveOperationException e) {
                throw new KryoException("cannot restore JShell variable " + field + " of " + className + ": " + e, e);
            }
        }
    }
}

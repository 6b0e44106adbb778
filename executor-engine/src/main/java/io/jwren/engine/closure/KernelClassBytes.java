package io.jwren.engine.closure;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * The bytes of a class that a notebook kernel defined in memory without serving them as a resource. The
 * {@code jshell} tool's loader hands out the class files it defines, but JJava (and IJava before it) runs
 * JShell with a loader of its own whose {@code getResourceAsStream} finds nothing for a cell's classes; it
 * keeps their bytes in a map of binary name to class file, in the loader or in the object that created it
 * (an inner class loader's {@code this$0}). Read only there, and only for classes the loader cannot serve.
 */
final class KernelClassBytes {
    private KernelClassBytes() {}

    /** The class file of {@code internalName} kept by {@code loader} or its enclosing object, or null. */
    static byte[] find(ClassLoader loader, String internalName) {
        String binaryName = internalName.replace('/', '.');
        byte[] bytes = inMapFields(loader, binaryName);
        if (bytes != null) return bytes;
        Object outer = fieldValue(loader, "this$0");
        return outer == null ? null : inMapFields(outer, binaryName);
    }

    private static byte[] inMapFields(Object holder, String binaryName) {
        for (Class<?> c = holder.getClass(); c != null && !c.getModule().isNamed(); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Map.class.isAssignableFrom(f.getType())) continue;
                if (read(f, holder) instanceof Map<?, ?> map && lookUp(map, binaryName) instanceof byte[] bytes) return bytes;
            }
        }
        return null;
    }

    private static Object lookUp(Map<?, ?> map, String key) {
        try {
            return map.get(key);
        } catch (RuntimeException e) {
            return null; // a map whose keys are no strings
        }
    }

    private static Object fieldValue(Object holder, String name) {
        for (Class<?> c = holder.getClass(); c != null && !c.getModule().isNamed(); c = c.getSuperclass()) {
            try {
                return read(c.getDeclaredField(name), holder);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static Object read(Field f, Object holder) {
        try {
            f.setAccessible(true);
            return f.get(holder);
        } catch (RuntimeException | IllegalAccessException e) {
            return null; // closed to reflection: not a map this lookup may read
        }
    }
}

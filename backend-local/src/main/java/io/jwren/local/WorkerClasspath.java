package io.jwren.local;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The class path of a worker JVM: the worker runtime and its libraries, found from where this JVM
 * loaded them, and nothing of the user's. User classes reach workers only as shipped bundles, exactly
 * as on a cloud worker.
 */
final class WorkerClasspath {
    /** A class from each artifact the worker runtime needs. */
    private static final String[] MARKERS = {
            "io.jwren.Executor",                             // executor-api
            "io.jwren.worker.WorkerMain",                    // worker-runtime
            "com.esotericsoftware.kryo.Kryo",                // kryo
            "com.esotericsoftware.minlog.Log",               // minlog
            "com.esotericsoftware.reflectasm.MethodAccess",  // reflectasm
            "org.objenesis.Objenesis",                       // objenesis
            "org.objectweb.asm.ClassReader",                 // asm
            "org.objectweb.asm.tree.ClassNode",              // asm-tree
            "org.objectweb.asm.commons.ClassRemapper",       // asm-commons
    };

    private WorkerClasspath() {}

    static String compute() {
        Set<String> entries = new LinkedHashSet<>();
        ClassLoader loader = WorkerClasspath.class.getClassLoader();
        for (String marker : MARKERS) {
            try {
                Class<?> c = Class.forName(marker, false, loader);
                CodeSource source = c.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null)
                    throw new IllegalStateException("cannot tell where " + marker + " was loaded from");
                entries.add(Path.of(source.getLocation().toURI()).toString());
            } catch (ClassNotFoundException e) {
                if (marker.startsWith("com.esotericsoftware.reflectasm")) continue; // optional in some Kryo builds
                throw new IllegalStateException("the worker runtime needs " + marker + " on the class path", e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}

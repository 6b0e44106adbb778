package io.jwren.engine.closure;

import io.jwren.NotShippableException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.ClassNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Finds every class a closure may touch on a worker, from the classes met while serializing it: reads
 * each class file through its class loader and follows the classes it names (ASM, into a ClassNode so
 * method bodies are visited too). JDK classes and the worker runtime's own are left out; classes from
 * directories or defined in memory (JShell, notebook kernels) are shipped one by one, and a class from a jar means the jar
 * is shipped whole. What a class names is cached per class loader and name, which is stable because a
 * loader defines a name once; JShell, which can redefine a name, is re-read every time.
 */
final class ClassDependencyWalker {
    private static final Set<String> SYSTEM_PACKAGES = systemPackages();

    enum Kind { SKIP, LOOSE, IN_JAR }

    /** What one class is to the walk. {@code bytes} are kept only for loose classes, which are shipped. */
    record Entry(Kind kind, String name, byte[] bytes, Path jar, int major, String[] references) {
        static final Entry SKIP = new Entry(Kind.SKIP, null, null, null, 0, new String[0]);
    }

    /** The result of a walk: loose classes by internal name (sorted), jars, and the newest class file met. */
    record Found(Map<String, Entry> loose, Map<String, ClassLoader> looseLoaders, Set<Path> jars,
                 int maxMajor, String maxMajorClass) {}

    private final Set<Path> runtime;
    private final Map<ClassLoader, Map<String, Entry>> cache = new WeakHashMap<>();

    ClassDependencyWalker(Set<Path> runtime) {
        this.runtime = runtime;
    }

    Found walk(Collection<Class<?>> roots) {
        Map<String, Entry> loose = new TreeMap<>();
        Map<String, ClassLoader> looseLoaders = new HashMap<>();
        Set<Path> jars = new LinkedHashSet<>();
        int maxMajor = 0;
        String maxMajorClass = null;
        Deque<Object[]> work = new ArrayDeque<>();
        for (Class<?> root : roots) {
            Class<?> c = root;
            while (c.isArray()) c = c.getComponentType();
            if (c.isPrimitive() || c.isHidden() || c.getClassLoader() == null) continue;
            work.add(new Object[]{c.getName().replace('.', '/'), c.getClassLoader()});
        }
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            Object[] item = work.poll();
            String name = (String) item[0];
            ClassLoader loader = (ClassLoader) item[1];
            if (!seen.add(name)) continue;
            Entry e = entry(loader, name);
            if (e.kind() == Kind.SKIP) continue;
            if (e.kind() == Kind.LOOSE) {
                loose.put(name, e);
                looseLoaders.put(name, loader);
            } else {
                jars.add(e.jar());
            }
            if (e.major() > maxMajor) {
                maxMajor = e.major();
                maxMajorClass = name.replace('/', '.');
            }
            for (String ref : e.references()) {
                if (!seen.contains(ref)) work.add(new Object[]{ref, loader});
            }
        }
        return new Found(loose, looseLoaders, jars, maxMajor, maxMajorClass);
    }

    private Entry entry(ClassLoader loader, String name) {
        boolean cacheable = !name.startsWith("REPL/");
        Map<String, Entry> perLoader;
        synchronized (cache) {
            perLoader = cache.computeIfAbsent(loader, l -> new HashMap<>());
            if (cacheable) {
                Entry e = perLoader.get(name);
                if (e != null) return e;
            }
        }
        Entry e = compute(loader, name);
        if (cacheable) {
            synchronized (cache) {
                perLoader.put(name, e);
            }
        }
        return e;
    }

    private Entry compute(ClassLoader loader, String name) {
        int slash = name.lastIndexOf('/');
        if (slash >= 0 && SYSTEM_PACKAGES.contains(name.substring(0, slash))) return Entry.SKIP;
        String resource = name + ".class";
        URL url = loader.getResource(resource);
        if (url == null) return notServed(loader, name);
        Path jar = null;
        switch (url.getProtocol()) {
            case "jrt" -> {
                return Entry.SKIP;
            }
            case "jar" -> {
                jar = ClassPathLocations.containerOf(url, resource);
                if (jar != null && runtime.contains(jar)) return Entry.SKIP;
            }
            case "file" -> {
                Path root = directoryRootOf(url, resource);
                if (root != null && runtime.contains(root)) return Entry.SKIP;
            }
            default -> { } // defined in memory, e.g. by JShell: shipped loose
        }
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) return Entry.SKIP;
            bytes = in.readAllBytes();
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read the class file of " + name.replace('/', '.') + " from " + url, ex);
        }
        int major = majorOf(bytes);
        String[] refs = referencesOf(bytes);
        return jar != null
                ? new Entry(Kind.IN_JAR, name, null, jar, major, refs)
                : new Entry(Kind.LOOSE, name, bytes, null, major, refs);
    }

    /**
     * A class its loader does not serve: defined in memory by a notebook kernel that keeps the bytes itself,
     * else an optional dependency never loaded, which the worker need not have either. A JShell class must
     * travel, so one whose bytes cannot be had is refused here rather than missed on the worker.
     */
    private static Entry notServed(ClassLoader loader, String name) {
        byte[] bytes = KernelClassBytes.find(loader, name);
        if (bytes != null) return new Entry(Kind.LOOSE, name, bytes, null, majorOf(bytes), referencesOf(bytes));
        if (!JShellStatics.isReplClass(name)) return Entry.SKIP;
        String className = name.replace('/', '.');
        throw new NotShippableException("class " + className + " was defined in memory by " + loader.getClass().getName()
                + ", which does not hand out its class file (getResourceAsStream finds nothing), so it cannot be shipped"
                + " to the workers; the threads backend, which ships no classes, can run it", className, "class " + className, null);
    }

    private static int majorOf(byte[] classFile) {
        return classFile.length >= 8 ? ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff) : 0;
    }

    /** The internal names of every class a class file mentions, in its signatures and in its code. */
    static String[] referencesOf(byte[] classFile) {
        Set<String> refs = new HashSet<>();
        Remapper collector = new Remapper() {
            @Override
            public String map(String internalName) {
                refs.add(internalName);
                return internalName;
            }
        };
        try {
            new ClassReader(classFile).accept(new ClassRemapper(new ClassNode(), collector), ClassReader.SKIP_DEBUG);
        } catch (RuntimeException unreadable) {
            // A class file newer than ASM knows: the version check refuses it before it could matter.
            return new String[0];
        }
        return refs.toArray(new String[0]);
    }

    private static Path directoryRootOf(URL url, String resource) {
        try {
            Path file = Path.of(url.toURI()).toAbsolutePath().normalize();
            Path root = file;
            for (int i = resource.split("/").length; i > 0 && root != null; i--) root = root.getParent();
            return root;
        } catch (Exception e) {
            return null;
        }
    }

    private static Set<String> systemPackages() {
        Set<String> packages = new HashSet<>();
        for (ModuleReference m : ModuleFinder.ofSystem().findAll()) {
            for (String p : m.descriptor().packages()) packages.add(p.replace('.', '/'));
        }
        return Set.copyOf(packages);
    }
}

package io.jwren.engine.closure;

import java.io.File;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the worker runtime and its libraries live. Every worker has these on its class path, so the
 * client never ships their classes, and a local worker JVM is started with exactly these entries.
 *
 * <p>The runtime is every module that carries {@value #DEPENDENCY_LIST} (the engine, the storages), with the
 * dependencies each lists. The engine's jar carries Kryo, MinLog, ReflectASM, ASM and Objenesis relocated under
 * {@code io.jwren.shaded.}; under their own names those libraries are the application's, shipped when its code
 * uses them. Only an engine run from its class directory (inside this build, before packaging) needs them under
 * their own names: {@link #forWorkerJvm()} then adds them, {@link #entries()} never does.
 */
public final class RuntimeClasspath {
    /** A class from each artifact the worker runtime needs; the optional ones may be absent on a client. */
    private static final String[] MARKERS = {
            "io.jwren.Executor",                             // executor-api
            "com.esotericsoftware.kryo.Kryo",                // kryo
            "com.esotericsoftware.minlog.Log",               // minlog
            "com.esotericsoftware.reflectasm.MethodAccess",  // reflectasm (optional in some Kryo builds)
            "org.objenesis.Objenesis",                       // objenesis
            "org.objectweb.asm.ClassReader",                 // asm
            "org.objectweb.asm.tree.ClassNode",              // asm-tree
            "org.objectweb.asm.commons.ClassRemapper",       // asm-commons
    };
    private static final Set<String> OPTIONAL = Set.of("com.esotericsoftware.reflectasm.MethodAccess");

    /** Packages the worker jar relocates under {@code io.jwren.shaded.}, as class-name prefixes. */
    static final List<String> RELOCATED_PACKAGES = List.of("com.esotericsoftware.", "org.objectweb.asm.", "org.objenesis.");
    /** The Maven groups of the relocated libraries, to recognise them in the dependency list. */
    static final Set<String> RELOCATED_GROUPS = Set.of("com.esotericsoftware", "org.ow2.asm", "org.objenesis");

    private static volatile Set<Path> cached;

    private RuntimeClasspath() {}

    /**
     * The class path entries (jars or class directories) whose classes every worker has under their own
     * names, as this JVM loaded them: never shipped. The relocated libraries are not among them.
     */
    public static Set<Path> entries() {
        Set<Path> entries = cached;
        if (entries == null) {
            ClassLoader loader = RuntimeClasspath.class.getClassLoader();
            Set<Path> all = new LinkedHashSet<>(compute(loader, false));
            all.addAll(listedDependencies(loader, false));
            cached = entries = Collections.unmodifiableSet(all);
        }
        return entries;
    }

    /**
     * The class path for a worker JVM: the jars (or directories) this JVM loaded the worker runtime and each of
     * its dependencies from — whatever their versions and file names, also inside a Spring Boot fat jar or a
     * shaded uber-jar. The dependencies are those each runtime module lists in {@value #DEPENDENCY_LIST}
     * (S3 client, Netty...), each found by its Maven coordinates. Fails if the worker runtime itself is not on the
     * class path.
     */
    public static String forWorkerJvm() {
        ClassLoader loader = RuntimeClasspath.class.getClassLoader();
        Set<Path> entries = new LinkedHashSet<>(compute(loader, true));
        entries.addAll(listedDependencies(loader, true));
        StringBuilder sb = new StringBuilder();
        for (Path p : entries) {
            if (sb.length() > 0) sb.append(File.pathSeparatorChar);
            sb.append(p);
        }
        return sb.toString();
    }

    /** True for a class the worker jar carries only under a relocated name. */
    static boolean relocatedInWorkerJar(String className) {
        for (String prefix : RELOCATED_PACKAGES) if (className.startsWith(prefix)) return true;
        return false;
    }

    static final String DEPENDENCY_LIST = "META-INF/jwren/worker.dependencies";

    /**
     * Where this JVM loaded each artifact of the worker runtime's dependency list from; without the relocated
     * libraries unless {@code withRelocated}. An artifact is found by the {@code pom.properties} that Maven puts
     * in every jar it builds, as this JVM's class loader resolves it (so the version the application's build
     * chose, under any file name); one built otherwise, by a jar on the class path named after its artifactId
     * and any version (a library jar without Maven's metadata, such as reactive-streams or ASM). One found nowhere
     * is left out: an all-in-one jar holds it, or the worker fails as the client would.
     */
    private static Set<Path> listedDependencies(ClassLoader loader, boolean withRelocated) {
        Set<Path> found = new LinkedHashSet<>();
        Set<Path> classPath = null;
        for (java.net.URL list : dependencyLists(loader)) {
            Path module = ClassPathLocations.containerOf(list, DEPENDENCY_LIST);
            if (module != null) found.add(module);
            for (String[] ga : dependencyList(list)) {
                if (!withRelocated && RELOCATED_GROUPS.contains(ga[0])) continue;
                Path jar = byPomProperties(loader, ga[0], ga[1]);
                if (jar == null) {
                    if (classPath == null) classPath = classPath(System.getProperty("java.class.path", ""));
                    jar = byFileName(loader, classPath, ga[1]);
                }
                if (jar != null) found.add(jar);
            }
        }
        return found;
    }

    private static List<java.net.URL> dependencyLists(ClassLoader loader) {
        try {
            return Collections.list(loader.getResources(DEPENDENCY_LIST));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + DEPENDENCY_LIST + " on the class path", e);
        }
    }

    /** The (groupId, artifactId) pairs of one {@value #DEPENDENCY_LIST}, the output of {@code dependency:list}. */
    private static List<String[]> dependencyList(java.net.URL url) {
        List<String[]> list = new java.util.ArrayList<>();
        try (java.io.InputStream in = url.openStream()) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
                // "   group:artifact:type[:classifier]:version:scope -- module ...", possibly with ANSI colours
                String[] coordinates = line.replaceAll("\u001B\\[[;\\d]*m", "").trim().split("\\s+")[0].split(":");
                if (coordinates.length >= 5) list.add(new String[] {coordinates[0], coordinates[1]});
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + url, e);
        }
        return list;
    }

    private static Path byPomProperties(ClassLoader loader, String groupId, String artifactId) {
        String name = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        java.net.URL url = loader.getResource(name);
        return url == null ? null : ClassPathLocations.containerOf(url, name);
    }

    /**
     * A jar named {@code <artifactId>-<version>[-classifier].jar} that this JVM's loader sees: any jar with a
     * manifest (also one nested in a fat jar, copied out only when it is the one), else an existing jar on the
     * expanded class path.
     */
    private static Path byFileName(ClassLoader loader, Set<Path> classPath, String artifactId) {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(artifactId) + "-\\d[^/]*\\.jar");
        try {
            java.util.Enumeration<java.net.URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                java.net.URL manifest = manifests.nextElement();
                String url = manifest.toString();
                int bang = url.lastIndexOf("!/");
                if (bang < 0) continue;
                String jarName = url.substring(url.lastIndexOf('/', bang) + 1, bang);
                if (named.matcher(jarName).matches()) {
                    Path jar = ClassPathLocations.containerOf(manifest, "META-INF/MANIFEST.MF");
                    if (jar != null) return jar;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list the jars of this JVM's class loader", e);
        }
        for (Path p : classPath) {
            if (p.getFileName() != null && named.matcher(p.getFileName().toString()).matches()
                    && java.nio.file.Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * This JVM's class path entries, with the jars named by each jar's manifest {@code Class-Path} (as
     * {@code java -jar app.jar} with its libraries under {@code lib/} loads them): absent from
     * {@code java.class.path}, but on the class path all the same.
     */
    static Set<Path> classPath(String javaClassPath) {
        Set<Path> entries = new LinkedHashSet<>();
        java.util.Deque<Path> pending = new java.util.ArrayDeque<>();
        for (String entry : javaClassPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) pending.add(Path.of(entry).toAbsolutePath().normalize());
        }
        while (!pending.isEmpty()) {
            Path p = pending.poll();
            if (!entries.add(p) || !p.toString().endsWith(".jar") || !java.nio.file.Files.isRegularFile(p)) continue;
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
                java.util.jar.Manifest manifest = jar.getManifest();
                String classPath = manifest == null ? null
                        : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                if (classPath == null) continue;
                for (String relative : classPath.trim().split("\\s+")) {
                    if (relative.isEmpty()) continue;
                    try {
                        pending.add(Path.of(p.toUri().resolve(relative)).toAbsolutePath().normalize());
                    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                        // not a local file: nothing a worker JVM could use either
                    }
                }
            } catch (java.io.IOException e) {
                // an unreadable jar contributes nothing; the JVM itself skips it the same way
            }
        }
        return entries;
    }

    private static Set<Path> compute(ClassLoader loader, boolean withRelocated) {
        Set<Path> entries = new LinkedHashSet<>();
        for (String marker : MARKERS) {
            if (!withRelocated && relocatedInWorkerJar(marker)) continue;
            try {
                Class<?> c = Class.forName(marker, false, loader);
                CodeSource source = c.getProtectionDomain().getCodeSource();
                Path location = source == null || source.getLocation() == null ? null
                        : ClassPathLocations.localPath(source.getLocation());
                if (location == null) throw new IllegalStateException("cannot tell which jar or directory " + marker
                        + " was loaded from" + (source == null ? "" : " (" + source.getLocation() + ")"));
                entries.add(location);
            } catch (ClassNotFoundException e) {
                if (OPTIONAL.contains(marker)) continue;
                throw new IllegalStateException("the worker runtime needs " + marker + " on the class path", e);
            }
        }
        return Collections.unmodifiableSet(entries);
    }
}

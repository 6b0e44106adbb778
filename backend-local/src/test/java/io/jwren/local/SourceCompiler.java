package io.jwren.local;

import io.jwren.engine.closure.RuntimeClasspath;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Compiles Java sources in a test, for classes that must not be on the test's class path: a
 * third-party jar, a class edited between two jobs, a class file too new for the worker.
 */
final class SourceCompiler {
    private SourceCompiler() {}

    /** Compiles the sources (binary name to source text) into dir, against jwren's API. */
    static Path compile(Path dir, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-src"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", dir.toString(),
                "-cp", RuntimeClasspath.forWorkerJvm()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, OutputStream.nullOutputStream(), errors, args.toArray(new String[0]));
        if (rc != 0) throw new IllegalStateException("javac failed: " + errors);
        return dir;
    }

    /** Packs a class directory into a jar. */
    static Path jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A loader over the given class path entries whose parent is the test's own loader. */
    static URLClassLoader loader(Path... entries) throws MalformedURLException {
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) urls[i] = entries[i].toUri().toURL();
        return new URLClassLoader(urls, SourceCompiler.class.getClassLoader());
    }
}

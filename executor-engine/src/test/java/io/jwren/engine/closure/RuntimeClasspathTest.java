package io.jwren.engine.closure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RuntimeClasspathTest {
    @TempDir
    Path dir;

    /** {@code java -jar app.jar}: java.class.path is app.jar alone, its libraries come from its manifest. */
    @Test
    void jarsNamedByAManifestClassPathAreOnTheClassPath() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path s3 = jar(lib.resolve("s3-2.51.3.jar"), null);
        Path netty = jar(lib.resolve("netty-4.2.jar"), "../other/deeper.jar");
        Path app = jar(dir.resolve("app.jar"), "lib/s3-2.51.3.jar lib/netty-4.2.jar lib/absent.jar");
        Path classes = Files.createDirectories(dir.resolve("classes"));

        List<Path> found = List.copyOf(RuntimeClasspath.classPath(app + File.pathSeparator + classes));

        assertEquals(List.of(app, classes, s3, netty, lib.resolve("absent.jar"), dir.resolve("other/deeper.jar")), found);
    }

    private static Path jar(Path path, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            return path;
        }
    }
}

package io.jwren.engine.closure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClassPathLocationsTest {
    @TempDir
    Path dir;

    @Test
    void plainJarsAndDirectoriesAreThemselves() throws Exception {
        Path jar = dir.resolve("a b.jar");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(jar, ClassPathLocations.localPath(jar.toUri().toURL()));
        assertEquals(jar, ClassPathLocations.localPath(new URL("jar:" + jar.toUri() + "!/")));
        assertEquals(classes, ClassPathLocations.localPath(classes.toUri().toURL()));
        assertEquals(jar, ClassPathLocations.containerOf(new URL("jar:" + jar.toUri() + "!/x/Y.class"), "x/Y.class"));
        assertEquals(classes, ClassPathLocations.containerOf(classes.resolve("x/Y.class").toUri().toURL(), "x/Y.class"));
        assertNull(ClassPathLocations.localPath(new URL("jrt:/java.base/")));
    }

    /** {@code java -jar} on a Spring Boot fat jar: a library is a jar inside the jar, copied out once. */
    @Test
    void aJarInsideASpringBootJarIsCopiedOutOnce() throws Exception {
        byte[] inner = "not really a jar, but bytes to compare".getBytes();
        Path app = fatJar(dir.resolve("my app.jar"), inner);
        URL nested = nestedUrl(app, "BOOT-INF/lib/auth-2.54.2.jar!/");

        Path copy = ClassPathLocations.localPath(nested);
        assertEquals("auth-2.54.2.jar", copy.getFileName().toString());
        assertArrayEquals(inner, Files.readAllBytes(copy));
        FileTime copied = Files.getLastModifiedTime(copy);
        assertEquals(copy, ClassPathLocations.localPath(nested), "the same fat jar reuses its copy");
        assertEquals(copied, Files.getLastModifiedTime(copy));
        assertEquals(copy, ClassPathLocations.containerOf(nestedUrl(app,
                "BOOT-INF/lib/auth-2.54.2.jar!/META-INF/maven/g/a/pom.properties"), "META-INF/maven/g/a/pom.properties"));

        byte[] rebuilt = "a rebuilt library, longer than the first one".getBytes();
        fatJar(app, rebuilt);
        Files.setLastModifiedTime(app, FileTime.fromMillis(Files.getLastModifiedTime(app).toMillis() + 5_000));
        Path again = ClassPathLocations.localPath(nested);
        assertNotEquals(copy, again, "a rebuilt fat jar gets its own copies");
        assertArrayEquals(rebuilt, Files.readAllBytes(again));

        assertNull(ClassPathLocations.localPath(nestedUrl(app, "BOOT-INF/classes/!/")),
                "the application's own classes are not the worker's business");
    }

    /** The URL Spring Boot's launcher gives a class path entry inside {@code app}; no handler needed to parse it. */
    private static URL nestedUrl(Path app, String inside) throws IOException {
        return new URL(null, "jar:nested:" + app.toString().replace(" ", "%20") + "/!" + inside, new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) {
                throw new UnsupportedOperationException("only parsed here");
            }
        });
    }

    /** Spring Boot stores nested jars uncompressed: so does this one. */
    private static Path fatJar(Path path, byte[] inner) throws IOException {
        try (OutputStream out = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("BOOT-INF/classes/demo/App.class"));
            zip.write(new byte[] {1, 2, 3});
            ZipEntry lib = new ZipEntry("BOOT-INF/lib/auth-2.54.2.jar");
            lib.setMethod(ZipEntry.STORED);
            lib.setSize(inner.length);
            CRC32 crc = new CRC32();
            crc.update(inner);
            lib.setCrc(crc.getValue());
            zip.putNextEntry(lib);
            zip.write(inner);
            zip.closeEntry();
        }
        return path;
    }
}

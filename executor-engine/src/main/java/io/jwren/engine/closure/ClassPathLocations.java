package io.jwren.engine.closure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns where a class loader found something (a code source, a resource's URL) into a file or directory that
 * can stand on another JVM's class path.
 *
 * <p>Plain class paths give {@code file:} and {@code jar:file:...!/} URLs. A Spring Boot fat jar run with
 * {@code java -jar} gives {@code jar:nested:/app.jar/!BOOT-INF/lib/lib.jar!/}: a jar inside a jar, which no class
 * path can name. Such a jar is copied out once into {@code <java.io.tmpdir>/jwren-nested-jars/}, keyed by the
 * outer jar's path, size and time and the entry's name, so a rebuilt app gets fresh copies.
 */
final class ClassPathLocations {
    private static final String NESTED = "nested:";

    private ClassPathLocations() {}

    /**
     * The jar or directory a class path would name for a code source location or the root of a container
     * ({@code file:/dir/}, {@code file:/a.jar}, {@code jar:file:/a.jar!/}, {@code jar:nested:/app.jar/!BOOT-INF/lib/b.jar!/}),
     * or null for one that is no local file (a JShell class, a directory inside a fat jar).
     */
    static Path localPath(URL location) {
        String url = location.toString();
        if (url.startsWith("jar:")) {
            int bang = url.lastIndexOf("!/");
            return localPath(bang < 0 ? url.substring(4) : url.substring(4, bang));
        }
        return localPath(url);
    }

    /** The jar or directory holding a resource, given the resource's URL and its name ({@code a/b/C.class}). */
    static Path containerOf(URL resource, String name) {
        String url = resource.toString();
        if (url.startsWith("jar:")) {
            int bang = url.lastIndexOf("!/");
            return bang < 0 ? null : localPath(url.substring(4, bang));
        }
        if (!url.startsWith("file:") || !url.endsWith(name)) return null;
        return localPath(url.substring(0, url.length() - name.length()));
    }

    private static Path localPath(String url) {
        if (url.startsWith(NESTED)) return extractNested(url.substring(NESTED.length()));
        if (!url.startsWith("file:")) return null;
        try {
            return Path.of(new URI(url)).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code /app.jar/!BOOT-INF/lib/b.jar}: a copy of the inner jar on disk; null for an inner directory. */
    private static Path extractNested(String spec) {
        int sep = spec.indexOf("/!");
        if (sep < 0) return null;
        Path outer = Path.of(decode(spec.substring(0, sep))).toAbsolutePath().normalize();
        String entryName = decode(spec.substring(sep + 2));
        if (entryName.endsWith("/") || !entryName.endsWith(".jar")) return null;
        try (ZipFile zip = new ZipFile(outer.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) return null;
            String key = outer + "\n" + Files.size(outer) + "\n" + Files.getLastModifiedTime(outer).toMillis() + "\n" + entryName;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jwren-nested-jars", sha256(key).substring(0, 24));
            Path copy = dir.resolve(entryName.substring(entryName.lastIndexOf('/') + 1));
            if (Files.isRegularFile(copy) && Files.size(copy) == entry.getSize()) return copy;
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".partial-", ".jar");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + entryName + " out of " + outer + " for a worker JVM's class path", e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.jwren.local;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.minlog.Log;
import io.jwren.Executor;
import io.jwren.engine.closure.ClassBundle;
import io.jwren.engine.closure.ClosurePackager;
import io.jwren.engine.closure.PackagedClosure;
import io.jwren.engine.closure.RuntimeClasspath;
import io.jwren.local.jobs.KryoJob;
import io.jwren.local.jobs.PlainJob;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.tree.ClassNode;
import org.objenesis.Objenesis;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's jar carries Kryo, MinLog, ReflectASM, ASM and Objenesis relocated under {@code io.jwren.shaded}, so
 * under their own names those libraries are the application's: a client ships them when user code uses them, and
 * the class path of a worker JVM does not need them.
 */
class RelocatedLibrariesTest {
    private static final List<Class<?>> RELOCATED = List.of(Kryo.class, Log.class, Objenesis.class,
            ClassReader.class, ClassNode.class, ClassRemapper.class);

    private static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theEngineJarHoldsItsSerializationLibrariesRelocated() throws Exception {
        Path engine = jarOf(ClosurePackager.class);
        assertTrue(engine.toString().endsWith(".jar"), "the engine as packaged: " + engine);
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(engine.toFile())) {
            List<String> names = java.util.Collections.list(jar.entries()).stream().map(java.util.zip.ZipEntry::getName).toList();
            for (Class<?> c : RELOCATED) {
                String relocated = "io/jwren/shaded/" + c.getName().replace('.', '/') + ".class";
                assertTrue(names.contains(relocated), relocated + " missing from " + engine);
            }
            assertEquals(List.of(), names.stream().filter(n -> n.startsWith("com/esotericsoftware/")
                    || n.startsWith("org/objectweb/") || n.startsWith("org/objenesis/")).toList(), "left under their own names");
        }
    }

    @Test
    void relocatedLibrariesAreTheApplicationsAndTheRuntimeIsOnEveryWorker() {
        Set<Path> neverShipped = RuntimeClasspath.entries();
        Set<Path> workerJvm = Arrays.stream(RuntimeClasspath.forWorkerJvm().split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().normalize()).collect(Collectors.toSet());
        for (Class<?> c : RELOCATED)
            assertFalse(neverShipped.contains(jarOf(c)), c.getName() + " is the application's: " + neverShipped);
        for (Class<?> c : List.of(Executor.class, ClosurePackager.class, S3Client.class)) {
            assertTrue(neverShipped.contains(jarOf(c)), c.getName() + " is on every worker: " + neverShipped);
            assertTrue(workerJvm.contains(jarOf(c)), c.getName() + ": " + workerJvm);
        }
    }

    private static Set<Path> shippedJars(PackagedClosure packed) {
        return packed.bundles().stream().map(ClassBundle::file).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    @Test
    void aFunctionThatUsesKryoShipsItsJarsAndALambdaAloneShipsNone() {
        ClosurePackager packager = new ClosurePackager();
        PackagedClosure plain = packager.pack(PlainJob.square(), getClass().getClassLoader(), 0);
        assertEquals(Set.of(), shippedJars(plain), "a lambda needs no jar: " + plain.bundles());
        assertEquals(1, plain.bundles().size(), "only its own class: " + plain.bundles());

        PackagedClosure withKryo = packager.pack(KryoJob.doubleViaKryo(), getClass().getClassLoader(), 0);
        Set<Path> jars = shippedJars(withKryo);
        for (Class<?> c : List.of(Kryo.class, Log.class, Objenesis.class))
            assertTrue(jars.contains(jarOf(c)), c.getName() + "'s jar must ship: " + withKryo.bundles());
        assertFalse(jars.contains(jarOf(Executor.class)), "the runtime never ships: " + withKryo.bundles());
    }
}

package io.jwren.engine.closure;

import io.jwren.NotShippableException;
import io.jwren.SerializableFunction;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosurePackagerTest {
    private final ClosurePackager packager = new ClosurePackager();

    @SuppressWarnings("unchecked")
    private <T, R> SerializableFunction<T, R> roundTrip(SerializableFunction<T, R> fn) {
        PackagedClosure packed = packager.pack(fn, getClass().getClassLoader(), 0);
        Object copy = ClosureReader.readFunction(packed.function(), getClass().getClassLoader());
        assertNotSame(fn, copy);
        return (SerializableFunction<T, R>) copy;
    }

    @Test
    void jdkTypesClosedToReflectionTravelWithTheirState() {
        Random random = new Random(42);
        long expectedDraw = new Random(42).nextLong();
        AtomicLong counter = new AtomicLong(41);
        Pattern words = Pattern.compile("[a-z]+");
        List<String> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of("u1", "u2")));
        Map<String, Integer> synced = Collections.synchronizedMap(new TreeMap<>(Map.of("s", 1)));
        List<Integer> asList = Arrays.asList(3, 1, 2);
        List<String> listOf = List.of("l");
        Map<String, String> mapOf = Map.of("k", "v");
        TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(List.of("a", "b"));
        Set<String> sortedView = Collections.unmodifiableSortedSet(reversed);
        List<Integer> subList = new ArrayList<>(List.of(9, 8, 7, 6)).subList(1, 3);
        BigDecimal price = new BigDecimal("12.50");
        LocalDate day = LocalDate.of(2026, 11, 22);
        Optional<String> maybe = Optional.of("o");

        SerializableFunction<Integer, String> fn = x -> random.nextLong() + "|" + counter.incrementAndGet() + "|"
                + words.matcher("ab12cd").replaceAll("_") + "|" + unmodifiable + "|" + synced + "|" + asList + "|"
                + listOf + "|" + mapOf + "|" + sortedView + "|" + subList + "|" + price.add(BigDecimal.ONE) + "|"
                + day.plusDays(x) + "|" + maybe.orElse("none");
        String result = roundTrip(fn).apply(1);
        assertEquals(expectedDraw + "|42|_12_|[u1, u2]|{s=1}|[3, 1, 2]|[l]|{k=v}|[b, a]|[8, 7]|13.50|2026-11-23|o", result);
    }

    @Test
    void wrappersStayWrappersAfterTheTrip() {
        List<String> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of("x")));
        SerializableFunction<Integer, Boolean> fn = x -> {
            try {
                unmodifiable.add("y");
                return false;
            } catch (UnsupportedOperationException expected) {
                return true;
            }
        };
        assertTrue(roundTrip(fn).apply(0));
    }

    @Test
    void aJdkTypeThatCannotBeReadIsRefusedWithItsPath() {
        StringJoiner joiner = new StringJoiner(",");
        NotShippableException e = assertThrows(NotShippableException.class,
                () -> packager.pack((SerializableFunction<Integer, String>) x -> joiner + "" + x, getClass().getClassLoader(), 0));
        assertTrue(e.getMessage().contains("captured arg 1 (java.util.StringJoiner)")
                && e.getMessage().contains("not Serializable"), e.getMessage());
    }

    @Test
    void aRefusedTypeDeepInTheGraphIsNamedWithTheWholePath() {
        record Source(String name, Object in) {}
        List<Source> sources = new ArrayList<>(List.of(new Source("ok", "text")));
        Source bad = new Source("bad", new ByteArrayInputStream(new byte[0]));
        NotShippableException e = assertThrows(NotShippableException.class,
                () -> packager.pack((SerializableFunction<Integer, String>) x -> bad.name() + sources, getClass().getClassLoader(), 0));
        assertTrue(e.getMessage().contains("captured arg 1 (" + Source.class.getName() + ") -> field in (java.io.ByteArrayInputStream)"),
                e.getMessage());
        assertEquals("java.io.ByteArrayInputStream", e.offendingClass());
    }

    @Test
    void bundlesHoldTheUserClassesButNotTheRuntimeOrTheJdkAndTheirKeysAreStable() throws Exception {
        SerializableFunction<Integer, Integer> fn = x -> Helper.triple(x);
        PackagedClosure first = packager.pack(fn, getClass().getClassLoader(), 0);
        PackagedClosure again = new ClosurePackager().pack(fn, getClass().getClassLoader(), 0);
        assertEquals(first.bundles().stream().map(ClassBundle::key).toList(), again.bundles().stream().map(ClassBundle::key).toList(),
                "the same code gives the same keys, even from a fresh packager");
        ClassBundle loose = first.bundles().stream().filter(b -> b.file() == null).findFirst().orElseThrow();
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(loose.bytes()))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) entries.add(e.getName());
        }
        assertTrue(entries.contains("io/jwren/engine/closure/ClosurePackagerTest.class"), entries.toString());
        assertTrue(entries.contains("io/jwren/engine/closure/ClosurePackagerTest$Helper.class"), entries.toString());
        assertTrue(entries.stream().noneMatch(n -> n.startsWith("java/") || n.startsWith("com/esotericsoftware/")
                || n.equals("io/jwren/engine/closure/ClosurePackager.class")), entries.toString());
        List<String> names = entries.stream().map(n -> n.substring(0, n.length() - ".class".length())).toList();
        assertEquals(names.stream().sorted().toList(), names, "entries are sorted by class name, so the jar is reproducible");
        assertTrue(first.maxClassMajor() >= 61, "class file version of the shipped classes: " + first.maxClassMajor());
    }

    @Test
    void classesANotebookKernelKeepsInItsOwnMapAreShippedAndOnesItHidesAreRefused() throws Exception {
        NotebookKernel kernel = new NotebookKernel(getClass().getClassLoader());
        Object tripler = kernel.newInstance("REPL.$JShell$7", TriplerInACell.class);
        PackagedClosure packed = packager.pack(tripler, kernel.loader, 0);
        ClassBundle loose = packed.bundles().stream().filter(b -> b.file() == null).findFirst().orElseThrow();
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(loose.bytes()))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) entries.add(e.getName());
        }
        assertTrue(entries.contains("REPL/$JShell$7.class"), entries.toString());

        Object hidden = kernel.newInstance("REPL.$JShell$8", TriplerInACell.class);
        kernel.declared.clear(); // a kernel that keeps nothing: the bytes are nowhere to be had
        NotShippableException e = assertThrows(NotShippableException.class, () -> packager.pack(hidden, kernel.loader, 0));
        assertEquals("REPL.$JShell$8", e.offendingClass());
        assertTrue(e.getMessage().contains("does not hand out its class file"), e.getMessage());
    }

    /**
     * Shaped like JJava's loader delegate: it keeps the class files of a cell in a map and defines them with an
     * inner class loader that serves no resources for them.
     */
    static final class NotebookKernel {
        final Map<String, byte[]> declared = new java.util.concurrent.ConcurrentHashMap<>();
        final ClassLoader loader;

        NotebookKernel(ClassLoader parent) {
            loader = new CellLoader(parent);
        }

        /** Defines a copy of {@code template} (a top-level class) under {@code binaryName}, as a cell would. */
        Object newInstance(String binaryName, Class<?> template) throws Exception {
            byte[] original;
            try (var in = template.getClassLoader().getResourceAsStream(template.getName().replace('.', '/') + ".class")) {
                original = in.readAllBytes();
            }
            org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
            new org.objectweb.asm.ClassReader(original).accept(new org.objectweb.asm.commons.ClassRemapper(writer,
                    new org.objectweb.asm.commons.SimpleRemapper(template.getName().replace('.', '/'), binaryName.replace('.', '/'))), 0);
            declared.put(binaryName, writer.toByteArray());
            var constructor = loader.loadClass(binaryName).getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        }

        final class CellLoader extends ClassLoader {
            CellLoader(ClassLoader parent) {
                super(parent);
            }

            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = declared.get(name);
                if (bytes == null) throw new ClassNotFoundException(name);
                return defineClass(name, bytes, 0, bytes.length);
            }
        }
    }

    static final class Helper {
        static int triple(int x) {
            return 3 * x;
        }
    }
}

/** A cell's function: copied under a JShell name by {@code ClosurePackagerTest.NotebookKernel}. */
final class TriplerInACell implements SerializableFunction<Integer, Integer> {
    @Override
    public Integer call(Integer x) {
        return 3 * x;
    }
}

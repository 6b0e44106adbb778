package io.jwren;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What users of executor-api can hold is io.jwren and io.jwren.spi, and through them nothing but the JDK. This reads
 * the classes compiled into the module (where {@link Executor} was loaded from) and fails, listing every offender, when
 * a public type lives in another package, when module-info exports or opens anything else, or when the signature of a
 * public or protected member (generic type arguments and bounds included) mentions a type outside java.*, javax.* and
 * the API's own public types.
 */
class ApiSurfaceTest {
    private static final Set<String> API_PACKAGES = Set.of("io.jwren", "io.jwren.spi");

    private static Path classes;
    private static List<Class<?>> exposed;

    @BeforeAll
    static void readCompiledApi() throws Exception {
        classes = Path.of(Executor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "the API's classes should be a directory here, not " + classes);
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class")) continue;
                Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        ApiSurfaceTest.class.getClassLoader());
                if (isExposed(c)) found.add(c);
            }
        }
        assertTrue(found.contains(Executor.class), "no public types found under " + classes);
        exposed = found;
    }

    @Test
    void publicTypesLiveInTheApiPackages() {
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : exposed) {
            if (!API_PACKAGES.contains(c.getPackageName())) offenders.add(c.getName() + " is public outside " + API_PACKAGES);
        }
        assertNone(offenders);
    }

    @Test
    void moduleExportsExactlyTheApiPackages() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        List<String> offenders = new ArrayList<>();
        Set<String> exported = new HashSet<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            exported.add(e.source());
            if (!API_PACKAGES.contains(e.source())) offenders.add("module " + module.name() + " exports " + e);
            else if (e.isQualified()) offenders.add("module " + module.name() + " exports " + e + " only to some modules");
        }
        for (String p : API_PACKAGES) {
            if (!exported.contains(p)) offenders.add("module " + module.name() + " does not export " + p);
        }
        if (module.isOpen()) offenders.add("module " + module.name() + " is open: every package is reflectively reachable");
        for (ModuleDescriptor.Opens o : module.opens()) offenders.add("module " + module.name() + " opens " + o);
        assertNone(offenders);
    }

    @Test
    void signaturesMentionOnlyTheJdkAndTheApi() {
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : exposed) offenders.addAll(signatureOffenders(c));
        assertNone(offenders);
    }

    /** The check itself: it must see types in generic arguments, bounds, throws clauses, fields and supertypes. */
    @Test
    void signatureCheckSeesEveryPlaceATypeCanHide() {
        String leaky = Leaky.class.getName();
        assertEquals(Set.of(
                leaky + ": supertype mentions " + TestReporter.class.getName(),
                leaky + ": type parameter T mentions " + TestInfo.class.getName(),
                leaky + "#field: type mentions " + TestInfo.class.getName(),
                leaky + "#Leaky(Map): parameter type mentions " + TestReporter.class.getName(),
                leaky + "#infos(): return type mentions " + TestInfo.class.getName(),
                leaky + "#check(Object): throws mentions " + AssertionFailedError.class.getName(),
                leaky + "#nested(Supplier[]): type parameter S mentions " + TestInfo.class.getName()),
                new HashSet<>(signatureOffenders(Leaky.class)));
    }

    /** Public, or a protected or public member type of such a type: a type code outside the module can name. */
    private static boolean isExposed(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) return false;
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            int m = k.getModifiers();
            if (!(Modifier.isPublic(m) || (k.getDeclaringClass() != null && Modifier.isProtected(m)))) return false;
        }
        return true;
    }

    /**
     * One line per type that a public or protected part of {@code type}'s signature mentions and users could not hold:
     * supertypes, type parameters, fields, constructors and methods (inherited public ones too), with the types in
     * their generic arguments and bounds.
     */
    static List<String> signatureOffenders(Class<?> type) {
        Set<String> offenders = new LinkedHashSet<>();
        String owner = type.getName();
        Type superclass = type.getGenericSuperclass();
        if (superclass != null) check(offenders, owner + ": supertype", superclass);
        for (Type i : type.getGenericInterfaces()) check(offenders, owner + ": supertype", i);
        checkTypeParameters(offenders, owner, type.getTypeParameters());

        Set<Field> fields = new LinkedHashSet<>(Arrays.asList(type.getFields()));
        Set<Executable> executables = new LinkedHashSet<>(Arrays.asList(type.getMethods()));
        executables.addAll(Arrays.asList(type.getConstructors()));
        for (Field f : type.getDeclaredFields()) if (Modifier.isProtected(f.getModifiers())) fields.add(f);
        for (Method m : type.getDeclaredMethods()) if (Modifier.isProtected(m.getModifiers())) executables.add(m);
        for (Constructor<?> k : type.getDeclaredConstructors()) if (Modifier.isProtected(k.getModifiers())) executables.add(k);

        for (Field f : fields) {
            if (!f.isSynthetic()) check(offenders, where(f) + ": type", f.getGenericType());
        }
        for (Executable e : executables) {
            if (e.isSynthetic() || (e instanceof Method m && m.isBridge())) continue;
            String at = where(e);
            checkTypeParameters(offenders, at, e.getTypeParameters());
            if (e instanceof Method m) check(offenders, at + ": return type", m.getGenericReturnType());
            for (Type p : e.getGenericParameterTypes()) check(offenders, at + ": parameter type", p);
            for (Type x : e.getGenericExceptionTypes()) check(offenders, at + ": throws", x);
        }
        return new ArrayList<>(offenders);
    }

    private static void checkTypeParameters(Set<String> offenders, String at, TypeVariable<?>[] parameters) {
        for (TypeVariable<?> v : parameters) {
            for (Type bound : v.getBounds()) check(offenders, at + ": type parameter " + v.getName(), bound);
        }
    }

    /** {@code Type#name(ParamType, ...)} or {@code Type#field}, by simple names: enough to find it. */
    private static String where(Member m) {
        String name = m instanceof Constructor<?> ? m.getDeclaringClass().getSimpleName() : m.getName();
        String params = m instanceof Executable e
                ? Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName).reduce((a, b) -> a + ", " + b)
                        .map(s -> "(" + s + ")").orElse("()")
                : "";
        return m.getDeclaringClass().getName() + "#" + name + params;
    }

    private static void check(Set<String> offenders, String at, Type type) {
        for (Class<?> c : mentioned(type)) {
            if (!holdable(c)) offenders.add(at + " mentions " + c.getName());
        }
    }

    /** java.*, javax.*, or a type of the API that code outside the module can name. */
    private static boolean holdable(Class<?> c) {
        String p = c.getPackageName();
        if (p.startsWith("java.") || p.startsWith("javax.")) return true;
        return API_PACKAGES.contains(p) && isExposed(c);
    }

    /** Every class a type mentions: itself, array elements, type arguments, owners, wildcard and variable bounds. */
    private static Set<Class<?>> mentioned(Type type) {
        Set<Class<?>> out = new LinkedHashSet<>();
        collect(type, out, new HashSet<>());
        return out;
    }

    private static void collect(Type t, Set<Class<?>> out, Set<Type> seen) {
        if (!seen.add(t)) return; // E extends Enum<E> and the like refer to themselves
        if (t instanceof Class<?> c) {
            while (c.isArray()) c = c.getComponentType();
            if (!c.isPrimitive()) out.add(c);
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), out, seen);
            if (p.getOwnerType() != null) collect(p.getOwnerType(), out, seen);
            for (Type a : p.getActualTypeArguments()) collect(a, out, seen);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) collect(b, out, seen);
            for (Type b : w.getLowerBounds()) collect(b, out, seen);
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) collect(b, out, seen);
        } else if (t instanceof GenericArrayType g) {
            collect(g.getGenericComponentType(), out, seen);
        }
    }

    private static void assertNone(List<String> offenders) {
        assertTrue(offenders.isEmpty(), () -> offenders.size() + " offender(s):\n  " + String.join("\n  ", offenders));
    }

    /** A type that hides a foreign type in each place a signature can; only the check above reads it. */
    @SuppressWarnings("unused")
    public abstract static class Leaky<T extends Comparable<? super TestInfo>> implements Supplier<List<TestReporter>> {
        public Map<String, Supplier<TestInfo[]>> field;
        private TestInfo hidden; // private: not part of the surface

        public Leaky(Map<String, ? extends TestReporter> reporters) {}

        public abstract List<? extends TestInfo> infos();

        public abstract void check(Object o) throws AssertionFailedError;

        public abstract <S extends Supplier<TestInfo>> void nested(Supplier<?>[] fine);

        public String allowed(Set<Executor> executors) throws IOException {
            return "";
        }
    }
}

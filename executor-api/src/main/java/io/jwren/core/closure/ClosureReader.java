package io.jwren.core.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;

/** Worker side of closure shipping: rebuilds a packaged closure inside the job's class loader. */
public final class ClosureReader {
    private ClosureReader() {}

    public static Object readFunction(byte[] function, ClassLoader loader) {
        Kryo kryo = KryoFactory.newKryo(loader);
        return kryo.readClassAndObject(new Input(function));
    }
}

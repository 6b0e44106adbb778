package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reuses Kryo instances for one class loader. A new Kryo costs far more than a small job's whole
 * (de)serialization: it registers its default serializers and learns every class's fields again. An instance
 * that threw is dropped rather than reused, since it may hold a half-written graph.
 */
public final class KryoPool {
    /** Idle instances kept; more are made when threads need them at once, and dropped on release. */
    private static final int MAX_IDLE = 8;
    /** Pools of the last loaders used by the client; a pool holds its loader, so the map is bounded. */
    private static final int MAX_LOADERS = 16;
    private static final Map<ClassLoader, KryoPool[]> BY_LOADER = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ClassLoader, KryoPool[]> eldest) {
            return size() > MAX_LOADERS;
        }
    };

    private final ClassLoader loader;
    private final boolean shipping;
    private final Deque<Kryo> idle = new ArrayDeque<>();

    /** @param shipping whether instances are {@link KryoFactory#newShippingKryo shipping} ones */
    public KryoPool(ClassLoader loader, boolean shipping) {
        this.loader = loader;
        this.shipping = shipping;
    }

    /** The shared reading pool of {@code loader}. */
    public static KryoPool reading(ClassLoader loader) {
        return shared(loader)[0];
    }

    /** The shared shipping pool of {@code loader}: its instances start with no classes met. */
    public static KryoPool shipping(ClassLoader loader) {
        return shared(loader)[1];
    }

    private static KryoPool[] shared(ClassLoader loader) {
        synchronized (BY_LOADER) {
            return BY_LOADER.computeIfAbsent(loader, l -> new KryoPool[] {new KryoPool(l, false), new KryoPool(l, true)});
        }
    }

    /** Runs {@code use} with an instance of this pool to itself. */
    public <T> T use(Function<Kryo, T> use) {
        Kryo kryo = borrow();
        T result = use.apply(kryo); // an instance that threw is not given back
        release(kryo);
        return result;
    }

    /** An instance for the caller alone until {@link #release}d; not released, it is simply garbage. */
    public Kryo borrow() {
        synchronized (idle) {
            Kryo kryo = idle.poll();
            if (kryo != null) return kryo;
        }
        return shipping ? KryoFactory.newShippingKryo(loader) : KryoFactory.newKryo(loader);
    }

    /** Gives back an instance that finished its work normally. */
    public void release(Kryo kryo) {
        kryo.reset();
        if (shipping) KryoFactory.forgetClassesMet(kryo);
        synchronized (idle) {
            if (idle.size() < MAX_IDLE) idle.push(kryo);
        }
    }
}

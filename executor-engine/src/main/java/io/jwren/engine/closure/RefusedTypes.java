package io.jwren.engine.closure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Objects that belong to the JVM they live in and mean nothing on a worker: threads, sockets, streams,
 * class loaders, and jwren's own runtime. Copying them would either fail deep inside Kryo with an
 * unreadable error or, worse, arrive as a dead copy; so they are refused at submit with a hint.
 * Matched by name over the type's supertypes, so modules such as java.sql need not be loaded.
 */
final class RefusedTypes {
    private static final Map<String, String> REASONS = new LinkedHashMap<>();

    static {
        String openInside = "; create it inside the function instead";
        REASONS.put("java.lang.Thread", "a thread runs in this JVM only" + openInside);
        REASONS.put("java.lang.ThreadGroup", "a thread group belongs to this JVM" + openInside);
        REASONS.put("java.lang.ClassLoader", "a class loader cannot be copied to a worker; jwren ships the classes a function needs itself");
        REASONS.put("java.net.Socket", "an open socket belongs to this JVM" + openInside);
        REASONS.put("java.net.ServerSocket", "a server socket belongs to this JVM" + openInside);
        REASONS.put("java.net.DatagramSocket", "a socket belongs to this JVM" + openInside);
        REASONS.put("java.nio.channels.Channel", "an open channel belongs to this JVM" + openInside);
        REASONS.put("java.io.InputStream", "an open stream belongs to this JVM; ship the data or a storage key and open it inside the function");
        REASONS.put("java.io.OutputStream", "an open stream belongs to this JVM; return the data as the result instead");
        REASONS.put("java.io.Reader", "an open reader belongs to this JVM; ship the data or a storage key and open it inside the function");
        REASONS.put("java.io.Writer", "an open writer belongs to this JVM; return the data as the result instead");
        REASONS.put("java.util.stream.BaseStream", "a stream is a one-shot pipeline, not data; collect it to a list first");
        REASONS.put("java.util.concurrent.Executor", "an executor runs tasks in this JVM only" + openInside);
        REASONS.put("java.util.concurrent.Future", "a future is completed in this JVM only; pass its value instead");
        REASONS.put("java.util.concurrent.locks.Lock", "a lock guards memory of this JVM only");
        REASONS.put("java.sql.Connection", "a database connection belongs to this JVM" + openInside);
        REASONS.put("java.lang.Process", "a process handle belongs to this JVM");
        REASONS.put("io.jwren.Executor", "the executor runs in the client only; a function cannot submit work through it");
        REASONS.put("io.jwren.MapFuture", "a map future is completed in the client only; pass its results instead");
        REASONS.put("io.jwren.CallFuture", "a call future is completed in the client only; pass its result instead");
        REASONS.put("io.jwren.spi.Storage", "a storage client belongs to this JVM; ship its URI and open it inside the function");
        REASONS.put("io.jwren.spi.Backend", "a backend runs in the client only");
    }

    private static final ClassValue<String> CACHE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return find(type);
        }
    };

    private RefusedTypes() {}

    /** Why values of this type cannot be shipped, or null if they can. */
    static String reasonFor(Class<?> type) {
        return CACHE.get(type);
    }

    private static String find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String reason = REASONS.get(c.getName());
            if (reason != null) return reason;
            for (Class<?> i : c.getInterfaces()) {
                String r = find(i);
                if (r != null) return r;
            }
        }
        return null;
    }
}

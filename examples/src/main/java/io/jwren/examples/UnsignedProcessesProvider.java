package io.jwren.examples;

import io.jwren.spi.Backend;
import io.jwren.spi.BackendProvider;
import io.jwren.spi.Providers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.Callable;

/**
 * The bench's baseline for signing: the processes backend given no key, so its workers get none, the engine stages
 * its jobs unsigned and reads their results unchecked. Not registered with ServiceLoader: only an executor
 * the bench builds {@linkplain #building inside} its own class loader finds it, so no user can pick it by name.
 */
public final class UnsignedProcessesProvider implements BackendProvider {
    static final String NAME = "processes-unsigned-bench";
    private static final String SERVICES = "META-INF/services/" + BackendProvider.class.getName();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Backend create(BackendContext context) {
        // A context without the key: the processes backend then hands its workers none, and says so.
        return Providers.backend("processes").create(new BackendContext() {
            @Override
            public String executorId() {
                return context.executorId();
            }

            @Override
            public io.jwren.Config config() {
                return context.config();
            }

            @Override
            public io.jwren.spi.Storage storage() {
                return context.storage();
            }
        });
    }

    /** Runs {@code build} (an executor's construction) where this provider is found by {@link #NAME}. */
    static <T> T building(Callable<T> build) throws Exception {
        Path list = Files.createTempFile("jwren-bench-provider", ".txt");
        try {
            Files.writeString(list, UnsignedProcessesProvider.class.getName() + "\n", StandardCharsets.UTF_8);
            URL listed = list.toUri().toURL();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(new ClassLoader(UnsignedProcessesProvider.class.getClassLoader()) {
                @Override
                protected Enumeration<URL> findResources(String name) {
                    return name.equals(SERVICES) ? Collections.enumeration(java.util.List.of(listed)) : Collections.emptyEnumeration();
                }
            });
            try {
                return build.call();
            } finally {
                thread.setContextClassLoader(previous);
            }
        } finally {
            try {
                Files.deleteIfExists(list);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

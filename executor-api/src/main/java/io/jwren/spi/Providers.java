package io.jwren.spi;

import io.jwren.Config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the engine, backends and storages on the class path through {@link ServiceLoader}, by name: switching
 * backend or storage is a configuration change, and a missing artifact is named in the error.
 */
public final class Providers {
    private Providers() {}

    /**
     * The thread's context loader, unless it sees another copy of the SPI type (a handler loaded from
     * its own jar, called by a host whose context loader is the host's): then jwren's own loader.
     */
    static ClassLoader loader(Class<?> spi) {
        ClassLoader ctx = Thread.currentThread().getContextClassLoader();
        if (ctx != null) {
            try {
                if (Class.forName(spi.getName(), false, ctx) == spi) return ctx;
            } catch (ClassNotFoundException | LinkageError e) {
                // not visible there: use ours
            }
        }
        return Providers.class.getClassLoader();
    }

    /**
     * The engine that builds executors; the first found if there were several.
     *
     * @return the engine
     * @throws IllegalStateException if none is on the class path; the message names the artifact to add
     */
    public static EngineProvider engine() {
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, loader(EngineProvider.class))) return p;
        throw new IllegalStateException("no jwren engine on the class path: add a backend artifact "
                + "(io.jwren:backend-local for threads and local worker JVMs), which brings io.jwren:executor-engine");
    }

    /**
     * The backend of a name.
     *
     * @param name the value of {@code jwren.backend}
     * @return the first provider whose {@link BackendProvider#name()} is {@code name}
     * @throws IllegalArgumentException if none is; the message names the artifact to add and the backends found
     */
    public static BackendProvider backend(String name) {
        List<String> known = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, loader(BackendProvider.class))) {
            if (p.name().equals(name)) return p;
            if (p.selectable()) known.add(p.name());
        }
        String hint = switch (name) {
            case "threads", "processes" -> " (add the io.jwren:backend-local artifact)";
            case "lambda" -> " (add the io.jwren:backend-lambda artifact)";
            case "k8s" -> " (add the io.jwren:backend-k8s artifact)";
            default -> "";
        };
        java.util.Collections.sort(known);
        throw new IllegalArgumentException("no jwren backend named '" + name + "' on the class path" + hint
                + "; found: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }

    /**
     * Opens a storage with the provider of its URI's scheme (compared ignoring case).
     *
     * @param uriText where, e.g. {@code file:///dir} or {@code s3://bucket/prefix}
     * @param config  the settings the provider reads
     * @return the opened storage, owned by the caller
     * @throws IllegalArgumentException if {@code uriText} is not a URI with a scheme, or no provider handles the scheme
     */
    public static Storage storage(String uriText, Config config) {
        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("jwren.storage is not a URI: '" + uriText + "' (from "
                    + config.source("jwren.storage") + "); use file:///dir or s3://bucket/prefix", e);
        }
        if (uri.getScheme() == null)
            throw new IllegalArgumentException("jwren.storage needs a scheme: '" + uriText + "' (from "
                    + config.source("jwren.storage") + "); use file:///dir or s3://bucket/prefix");
        List<String> known = new ArrayList<>();
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader(StorageProvider.class))) {
            if (p.scheme().equalsIgnoreCase(uri.getScheme())) return p.open(uri, config);
            known.add(p.scheme());
        }
        String hint = uri.getScheme().equals("s3") ? " (add the io.jwren:storage-s3 artifact)" : "";
        throw new IllegalArgumentException("no jwren storage for scheme '" + uri.getScheme() + "'" + hint + "; found: "
                + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
}

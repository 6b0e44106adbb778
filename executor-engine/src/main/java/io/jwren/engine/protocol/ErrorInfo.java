package io.jwren.engine.protocol;

import io.jwren.RemoteCallException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A failure as it crosses the wire: the remote class, message and stack trace as plain data, plus the
 * Java-serialized exception when it could be serialized, so the client can rethrow the original type.
 *
 * @param className  the remote exception's class
 * @param message    its message, or null
 * @param stackTrace its frames
 * @param printed    its full printed stack trace, causes included
 * @param serialized its Java serialization, or an empty array
 */
public record ErrorInfo(String className, String message, StackTraceElement[] stackTrace, String printed,
                        byte[] serialized) {

    public static ErrorInfo of(Throwable t) {
        StringWriter printed = new StringWriter();
        t.printStackTrace(new PrintWriter(printed));
        byte[] serialized;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(t);
            }
            serialized = bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            serialized = new byte[0]; // a field of the exception is not serializable: send it as text
        }
        return new ErrorInfo(t.getClass().getName(), t.getMessage(), t.getStackTrace(), printed.toString(), serialized);
    }

    /** The original exception if its class loads through {@code loader}, else a {@link RemoteCallException}. */
    public Throwable toThrowable(ClassLoader loader, int callIndex) {
        if (serialized.length > 0) {
            try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(serialized), loader)) {
                return (Throwable) in.readObject();
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                // fall through to the textual form
            }
        }
        return new RemoteCallException(className, message, callIndex, stackTrace);
    }

    /** Resolves classes through a given loader: the user's classes on the client, the job's on a worker. */
    static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}

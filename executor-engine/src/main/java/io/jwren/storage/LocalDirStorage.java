package io.jwren.storage;

import io.jwren.StorageAccessDeniedException;
import io.jwren.StorageException;
import io.jwren.engine.ProcessId;
import io.jwren.spi.Abortable;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Storage in a local directory: a key is a relative file path. Writes go to a temporary file first and
 * appear atomically (rename; a hard link for {@link #putIfAbsent}), so readers never see half an object
 * and several worker JVMs can share the directory.
 */
final class LocalDirStorage implements Storage {
    private static final String TMP_DIR = ".tmp";
    /** Temporary names unique among the JVMs sharing the directory without a random draw per write. */
    private static final String TMP_PREFIX = ProcessId.uniqueName() + "-";
    private static final AtomicLong TMP_COUNTER = new AtomicLong();
    private final Path root;
    private final String uri;

    LocalDirStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uri = this.root.toUri().toString();
        try {
            Files.createDirectories(this.root.resolve(TMP_DIR));
        } catch (IOException e) {
            throw new StorageException("cannot create storage directory " + this.root + ": " + e, null, e);
        }
    }

    Path root() {
        return root;
    }

    private Path file(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.startsWith(TMP_DIR))
            throw new IllegalArgumentException("bad storage key '" + key + "'");
        return root.resolve(key);
    }

    private Path tempFile() {
        return root.resolve(TMP_DIR).resolve(TMP_PREFIX + TMP_COUNTER.incrementAndGet() + ".part");
    }

    private Path writeTemp(String key, byte[] data) {
        Path tmp = tempFile();
        try {
            Files.write(tmp, data);
            return tmp;
        } catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    /** Renames a written temporary file to its key's path, making the directories the first time one is missing. */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void put(String key, byte[] data) {
        Path tmp = writeTemp(key, data);
        try {
            publish(tmp, file(key));
        } catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        Path tmp = writeTemp(key, data);
        try {
            // link(2) fails if the target exists: an atomic "if none match" on a POSIX file system.
            Path target = file(key);
            try {
                Files.createLink(target, tmp);
            } catch (NoSuchFileException e) {
                Files.createDirectories(target.getParent());
                Files.createLink(target, tmp);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            throw failure("write", key, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temp file costs only disk
            }
        }
    }

    @Override
    public OutputStream create(String key) {
        Path tmp = tempFile();
        Path target = file(key);
        try {
            class TempFileStream extends FilterOutputStream implements Abortable {
                private boolean closed;

                TempFileStream(OutputStream file) {
                    super(file);
                }

                @Override
                public void abort() {
                    if (closed) return;
                    closed = true;
                    try {
                        out.close();
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a stray temp file costs only disk
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    if (closed) return;
                    closed = true;
                    out.close();
                    publish(tmp, target);
                }
            }
            return new TempFileStream(Files.newOutputStream(tmp));
        } catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(file(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchKeyException(uri, key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public InputStream openRange(String key, long offset, long length) {
        try {
            SeekableByteChannel ch = Files.newByteChannel(file(key), StandardOpenOption.READ);
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return new BoundedInputStream(in, length);
        } catch (NoSuchFileException e) {
            throw new NoSuchKeyException(uri, key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, long length) {
        try (FileChannel ch = FileChannel.open(file(key), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(length));
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) break;
            }
            if (buf.hasRemaining())
                throw new StorageException("object '" + key + "' in " + uri + " is shorter than the range "
                        + offset + "+" + length, key, null);
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new NoSuchKeyException(uri, key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(file(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchKeyException(uri, key);
        } catch (IOException e) {
            throw failure("size", key, e);
        }
    }

    @Override
    public java.time.Instant lastModified(String key) {
        try {
            return Files.getLastModifiedTime(file(key)).toInstant();
        } catch (NoSuchFileException e) {
            throw new NoSuchKeyException(uri, key);
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(file(key));
    }

    @Override
    public List<String> list(String prefix) {
        // Walk only the deepest directory the prefix names fully.
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) return List.of();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !key.startsWith(TMP_DIR + "/")) keys.add(key);
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", prefix, e);
        } catch (java.io.UncheckedIOException e) { // met while walking: a directory this process may not read
            throw failure("list", prefix, e.getCause());
        }
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        for (String key : list(prefix)) {
            try {
                Files.deleteIfExists(file(key));
            } catch (IOException e) {
                throw failure("delete", key, e);
            }
        }
    }

    /** A refusal of permission (this process may not read or write the file) is no failure a retry mends. */
    private StorageException failure(String what, String key, Exception e) {
        String message = "cannot " + what + " '" + key + "' in " + uri + ": " + e;
        return e instanceof java.nio.file.AccessDeniedException ? new StorageAccessDeniedException(message, key, e)
                : new StorageException(message, key, e);
    }

    @Override
    public String toString() {
        return "LocalDirStorage[" + root + "]";
    }
}

package io.jwren.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An AppCDS archive of the classes a worker JVM loads from its start to its first result, so that worker JVMs
 * map them instead of reading, verifying and linking them again (JDK 17's dynamic archive: a training run with
 * {@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile} for every worker).
 *
 * <p>One archive serves one combination of JDK, JVM options and worker class path; its file name is a hash of them
 * (the {@link #key() key}). For each jar on the class path the key takes its path, size and modification time, which
 * the JVM itself checks before it uses an archive, and a hash of its central directory, which lists the name, size
 * and CRC-32 of every entry: a jar rebuilt with other classes but the same size and time gets another archive
 * instead of stale archived classes. A class path with a directory on it cannot be archived (the JVM archives
 * classes from jars only); its workers start without one.
 *
 * <p>The archive is built once per key, whichever JVM needs it first, under a file lock beside it: the training run
 * ({@code io.jwren.engine.worker.ClassArchiveTraining} on the worker class path, with the workers' own JVM options)
 * writes a temporary file, a second JVM started with {@code -Xshare:on} checks that it maps, and only then is it
 * moved into place; JVMs of other processes waiting on the lock find it done. A build that fails leaves a
 * {@code .failed} file with the reason, so it is not tried again for that key; workers then start without an archive
 * exactly as they did before there were archives. Deleting the {@code .failed} file asks for another try.
 */
public final class WorkerClassArchive {
    /** Changes when what goes into the key or the archive changes. */
    private static final String FORMAT = "jwren-class-archive-1";
    static final String TRAINING_MAIN = "io.jwren.engine.worker.ClassArchiveTraining";
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);
    /** Archives of other keys not used for this long are removed when a new one is built. */
    private static final Duration UNUSED = Duration.ofDays(30);
    private static final System.Logger LOG = System.getLogger("io.jwren");
    /** Builds running in this JVM, by archive file: a second caller joins the first instead of locking twice. */
    private static final Map<Path, CompletableFuture<Optional<Path>>> BUILDING = new ConcurrentHashMap<>();

    private final String java;
    private final List<String> jvmOptions;
    private final String classpath;
    private final Path dir;
    private final String key;
    private final String unsupported;

    private WorkerClassArchive(String java, List<String> jvmOptions, String classpath, Path dir, String key,
                               String unsupported) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = classpath;
        this.dir = dir;
        this.key = key;
        this.unsupported = unsupported;
    }

    /**
     * The archive for worker JVMs started as {@code <java> <jvmOptions> ... -cp <classpath> ...}; reads the class
     * path's jars to make the key, nothing else.
     *
     * @param java       the java executable of the workers
     * @param jvmOptions their JVM options (heap, GC, ...), the same for the training run
     * @param classpath  their class path
     * @param dir        where archives are kept
     */
    public static WorkerClassArchive of(String java, List<String> jvmOptions, String classpath, Path dir) {
        for (String option : jvmOptions) {
            if (option.equals("-Xshare:off") || option.startsWith("-XX:SharedArchiveFile=")
                    || option.startsWith("-XX:ArchiveClassesAtExit="))
                return new WorkerClassArchive(java, jvmOptions, classpath, dir, null, "the workers' JVM options say "
                        + option + " themselves");
        }
        MessageDigest sha = sha256();
        update(sha, FORMAT);
        Path javaPath = Path.of(java).toAbsolutePath();
        update(sha, javaPath.toString());
        Path release = javaPath.getParent() == null || javaPath.getParent().getParent() == null ? null
                : javaPath.getParent().getParent().resolve("release");
        try {
            if (release != null && Files.isRegularFile(release)) sha.update(Files.readAllBytes(release));
            update(sha, String.join("\u0000", jvmOptions));
            for (String entry : classpath.split(File.pathSeparator)) {
                if (entry.isEmpty()) continue;
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    return new WorkerClassArchive(java, jvmOptions, classpath, dir, null, "the worker class path holds "
                            + "the directory " + p + ", and the JVM archives classes from jars only");
                }
                update(sha, p.toAbsolutePath().toString());
                if (!Files.isRegularFile(p)) continue;
                update(sha, Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
                sha.update(jarFingerprint(p));
            }
        } catch (IOException e) {
            return new WorkerClassArchive(java, jvmOptions, classpath, dir, null, "cannot read the worker class path: " + e);
        }
        String key = HexFormat.of().formatHex(sha.digest(), 0, 16);
        return new WorkerClassArchive(java, jvmOptions, classpath, dir, key, null);
    }

    /** {@code ~/.cache/jwren/class-archives}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "jwren", "class-archives");
    }

    /** {@return the hash naming this archive, or null when its class path cannot be archived} */
    public String key() {
        return key;
    }

    /** {@return the archive file (which may not exist yet), or null when the class path cannot be archived} */
    public Path file() {
        return key == null ? null : dir.resolve(key + ".jsa");
    }

    /** {@return why workers start without an archive for good: the class path, a failed build; null otherwise} */
    public String problem() {
        if (unsupported != null) return unsupported;
        Path failed = failedMarker();
        if (!Files.isRegularFile(failed)) return null;
        try {
            return Files.readString(failed, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "a build failed (" + failed + ")";
        }
    }

    /**
     * The options that start a worker JVM with the archive, if it is built, to go before the workers' own JVM options:
     * {@code -XX:SharedArchiveFile=<file>} and {@code -Xshare:auto} (a JVM that cannot map it warns and runs without
     * it), with the JVM's warnings sent to standard error rather than standard output, which may be a command
     * channel. Empty when it is not built; then the first call for this key in this JVM starts building it in the
     * background, for the workers started after.
     */
    public List<String> options() {
        Path file = file();
        if (file == null) return List.of();
        if (Files.isRegularFile(file)) {
            touch(file);
            return List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:SharedArchiveFile=" + file, "-Xshare:auto");
        }
        if (problem() == null) buildInBackground();
        return List.of();
    }

    /** Starts {@link #build()} on a daemon thread unless a build of this archive is running in this JVM already. */
    public CompletableFuture<Optional<Path>> buildInBackground() {
        Path file = file();
        if (file == null) return CompletableFuture.completedFuture(Optional.empty());
        CompletableFuture<Optional<Path>> started = new CompletableFuture<>();
        CompletableFuture<Optional<Path>> running = BUILDING.putIfAbsent(file, started);
        if (running != null) return running;
        Thread t = new Thread(() -> {
            try {
                started.complete(buildLocked());
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
            } finally {
                BUILDING.remove(file, started);
            }
        }, "jwren-class-archive");
        t.setDaemon(true);
        t.start();
        return started;
    }

    /**
     * The archive, built first if it is missing: at most once per key among all JVMs on this machine that share the
     * directory (the others wait on the lock and find it built).
     *
     * @return the archive file, or empty when the class path cannot be archived or the build failed ({@link #problem()})
     */
    public Optional<Path> build() {
        try {
            return buildInBackground().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /**
     * Stops workers from using this archive: a worker JVM started with it died before it was ready. The archive is
     * removed and a {@code .failed} file with the reason keeps it from being built again for this key.
     */
    public void refuse(String reason) {
        Path file = file();
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
            fail("a worker JVM started with the archive died before it was ready: " + reason);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the worker class archive " + file + ": " + e);
        }
    }

    private Optional<Path> buildLocked() {
        Path file = file();
        if (Files.isRegularFile(file)) return Optional.of(file);
        if (problem() != null) return Optional.empty();
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(key + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(file)) return Optional.of(file); // another process built it meanwhile
                if (problem() != null) return Optional.empty();
                return train(file);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "worker JVMs start without a class archive: cannot build one in " + dir
                    + ": " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<Path> train(Path file) throws IOException, InterruptedException {
        Path tmp = dir.resolve(key + "." + ProcessHandle.current().pid() + ".tmp");
        Path log = dir.resolve(key + ".log");
        Path scratch = Files.createTempDirectory("jwren-class-archive-");
        long start = System.nanoTime();
        try {
            Files.deleteIfExists(tmp);
            List<String> training = new ArrayList<>(jvmCommand());
            training.addAll(List.of("-Xshare:auto", "-XX:ArchiveClassesAtExit=" + tmp, "-cp", classpath, TRAINING_MAIN,
                    scratch.toString()));
            String failure = run(training, log, "the training run");
            if (failure == null && (!Files.isRegularFile(tmp) || Files.size(tmp) == 0))
                failure = "the training run wrote no archive";
            if (failure == null) {
                // -Xshare:on: a JVM that cannot map the archive exits with an error instead of running without it.
                List<String> check = new ArrayList<>(jvmCommand());
                check.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + tmp, "-cp", classpath, "-version"));
                failure = run(check, dir.resolve(key + ".check.log"), "a JVM started with the archive");
            }
            if (failure != null) {
                fail(failure + " (JVM options " + jvmOptions + "; see " + log + ")");
                return Optional.empty();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("built the worker class archive %s (%d KiB) in %d ms",
                    file, sizeKiB(file), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            pruneUnused(file);
            return Optional.of(file);
        } finally {
            Files.deleteIfExists(tmp);
            deleteTree(scratch);
        }
    }

    private List<String> jvmCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        return cmd;
    }

    /** Runs a JVM to its end; null if it exited with 0, else what went wrong. */
    private static String run(List<String> command, Path log, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return what + " took over " + TRAINING_TIMEOUT.toSeconds() + " s";
        }
        return p.exitValue() == 0 ? null : what + " exited with code " + p.exitValue() + lastLine(log);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return ": " + lines.get(i).strip();
        } catch (IOException | UncheckedIOException e) {
            // the exit code says enough
        }
        return "";
    }

    private void fail(String reason) throws IOException {
        Files.writeString(failedMarker(), reason + "\n", StandardCharsets.UTF_8);
        LOG.log(System.Logger.Level.WARNING, "worker JVMs start without a class archive: " + reason
                + " (delete " + failedMarker() + " to try again)");
    }

    private Path failedMarker() {
        return dir.resolve(key + ".failed");
    }

    /** Marks the archive used, so that {@link #pruneUnused} keeps it. */
    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // another user's archive; it still works
        }
    }

    /** Removes other archives (and their files) that no worker has used for {@link #UNUSED}. */
    private void pruneUnused(Path keep) {
        Instant cutoff = Instant.now().minus(UNUSED);
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(dir, "*.jsa")) {
            for (Path a : archives) {
                if (a.equals(keep) || Files.getLastModifiedTime(a).toInstant().isAfter(cutoff)) continue;
                String other = a.getFileName().toString().replaceFirst("\\.jsa$", "");
                for (String suffix : List.of(".jsa", ".log", ".check.log", ".lock"))
                    Files.deleteIfExists(dir.resolve(other + suffix));
            }
        } catch (IOException e) {
            // pruning is housekeeping only
        }
    }

    private static long sizeKiB(Path file) {
        try {
            return Files.size(file) / 1024;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * A hash of a jar's central directory (every entry's name, sizes and CRC-32), read from the end of the file; the
     * whole file's hash when it is not a plain zip (zip64, or no end record).
     */
    static byte[] jarFingerprint(Path jar) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(jar, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 65_535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(end, size - tail);
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) != 0x06054b50) continue;
                long cdSize = Integer.toUnsignedLong(end.getInt(i + 12));
                long cdOffset = Integer.toUnsignedLong(end.getInt(i + 16));
                if (cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL || cdOffset + cdSize > size) break;
                ByteBuffer cd = ByteBuffer.allocate((int) cdSize);
                while (cd.hasRemaining() && ch.read(cd, cdOffset + cd.position()) >= 0) {
                    // read on
                }
                sha.update(cd.flip());
                return sha.digest();
            }
        }
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return sha.digest();
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

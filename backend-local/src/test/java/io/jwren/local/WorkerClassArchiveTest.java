package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The worker class archive (AppCDS) of the processes backend, on the shaded worker jar as the workers' class path:
 * built once per key under a lock, used by the worker JVMs started after it, and never in the way: a file the JVM
 * refuses, a truncated file that crashes the JVM and a build that fails all leave workers that run maps.
 */
class WorkerClassArchiveTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /**
     * The default options with {@code -Xshare:on} last: a worker JVM that cannot map the archive it is given exits
     * instead of running without it, so a map that runs proves the archive was used.
     */
    private static final String STRICT_JVM_ARGS = ProcessesSettings.DEFAULT_JVM_ARGS + " -Xshare:on";
    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void workerJar() {
        String property = System.getProperty("jwren.test.worker-jar");
        if (property == null || !Files.isRegularFile(Path.of(property)))
            fail("the worker jar " + property + " is missing: run `mvn verify`, which packages worker-runtime first");
        jar = Path.of(property).toAbsolutePath().normalize();
    }

    /** The archive a processes executor of {@link #executor} makes for its workers. */
    private WorkerClassArchive archive(String jvmArgs) {
        List<String> options = new ArrayList<>(Arrays.asList(jvmArgs.split(" ")));
        options.add("-Xmx256m");
        return WorkerClassArchive.of(JAVA, options, jar.toString(), dir);
    }

    private Executor executor(Path storage, String jvmArgs) {
        return Executor.builder().backend("processes").storage(storage.toUri().toString())
                .property("jwren.processes.classpath", jar.toString()).property("jwren.processes.jvm-args", jvmArgs)
                .property("jwren.processes.memory", "256").property("jwren.processes.class-archive-dir", dir.toString())
                .property("jwren.workers", "2").build();
    }

    /** Runs a map of 6 calls in 3 invocations; returns each worker JVM's arguments, as the calls saw them. */
    private static List<String> runMap(Executor ex) throws Exception {
        List<String> args = ex.map((Integer i) -> String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                IntStream.range(0, 6).boxed().toList(), MapOptions.builder().chunkSize(2).build()).get(120, TimeUnit.SECONDS);
        assertEquals(6, args.size());
        return args;
    }

    @Test
    void isBuiltOnceAndTheWorkersStartedAfterUseIt(@TempDir Path storage) throws Exception {
        WorkerClassArchive archive = archive(STRICT_JVM_ARGS);
        try (Executor first = executor(storage, STRICT_JVM_ARGS)) {
            for (String a : runMap(first)) assertFalse(a.contains("SharedArchiveFile"), "none was built yet: " + a);
        }
        // The first executor started the build; this joins it (or finds it done) instead of building again.
        Optional<Path> built = archive.build();
        assertEquals(Optional.of(archive.file()), built, String.valueOf(archive.problem()));
        Object inode = Files.readAttributes(archive.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertNull(archive.problem());
        try (Executor second = executor(storage, STRICT_JVM_ARGS)) {
            for (String a : runMap(second))
                assertTrue(a.contains("-XX:SharedArchiveFile=" + archive.file()), "every worker mapped it: " + a);
        }
        // Asked again, from a new instance: the same file, not rebuilt.
        assertEquals(built, archive(STRICT_JVM_ARGS).build());
        assertEquals(inode, Files.readAttributes(archive.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
    }

    @Test
    void concurrentBuildsInOneJvmRunOneTraining() throws Exception {
        List<CompletableFuture<Optional<Path>>> builds = new ArrayList<>();
        for (int i = 0; i < 3; i++) builds.add(archive(ProcessesSettings.DEFAULT_JVM_ARGS).buildInBackground());
        assertTrue(builds.stream().allMatch(b -> b == builds.get(0)), "joined the running build");
        Path file = builds.get(0).get(3, TimeUnit.MINUTES).orElseThrow();
        assertTrue(Files.size(file) > 1_000_000, "an archive of the worker's classes: " + Files.size(file));
    }

    /**
     * Another process holds the lock while it builds: this JVM's builder waits, then takes the archive that process
     * wrote. The other process is a small program that takes the lock, says so, and on a line from us writes the
     * archive file and exits, which releases the lock.
     */
    @Test
    void aBuilderWaitingOnTheLockTakesTheArchiveAnotherProcessBuilt() throws Exception {
        WorkerClassArchive archive = archive(ProcessesSettings.DEFAULT_JVM_ARGS);
        Path holder = dir.resolve("holder").resolve("Holder.java");
        Files.createDirectories(holder.getParent());
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                             var lock = ch.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                            Files.writeString(Path.of(a[1]), "built by another process");
                        }
                    }
                }
                """);
        Process other = new ProcessBuilder(JAVA, holder.toString(), dir.resolve(archive.key() + ".lock").toString(),
                archive.file().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", lines.readLine());
            CompletableFuture<Optional<Path>> waiting = archive.buildInBackground();
            other.getOutputStream().write('\n');
            other.getOutputStream().flush();
            assertEquals(Optional.of(archive.file()), waiting.get(3, TimeUnit.MINUTES));
            assertTrue(other.waitFor(1, TimeUnit.MINUTES));
            assertEquals("built by another process", Files.readString(archive.file()), "used as it was, not built again");
            assertFalse(Files.exists(dir.resolve(archive.key() + ".log")), "no training run here");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void anArchiveTheJvmRefusesIsSkippedWithAWarningInTheWorkerLog(@TempDir Path storage) throws Exception {
        // An archive built for a copy of the worker jar elsewhere: a sound file the JVM refuses for this class path.
        Path copy = Files.copy(jar, Files.createDirectories(dir.resolve("copy")).resolve("jwren-worker.jar"));
        List<String> options = new ArrayList<>(Arrays.asList(ProcessesSettings.DEFAULT_JVM_ARGS.split(" ")));
        options.add("-Xmx256m");
        WorkerClassArchive forCopy = WorkerClassArchive.of(JAVA, options, copy.toString(), dir);
        Path other = forCopy.build().orElseThrow(() -> new AssertionError(forCopy.problem()));
        WorkerClassArchive archive = archive(ProcessesSettings.DEFAULT_JVM_ARGS);
        Files.copy(other, archive.file());
        try (Executor ex = executor(storage, ProcessesSettings.DEFAULT_JVM_ARGS)) {
            for (String a : runMap(ex)) assertTrue(a.contains("-XX:SharedArchiveFile=" + archive.file()), a);
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "jwren-workers", ex.id(), "worker-0.log");
            String text = Files.readString(log);
            assertTrue(text.contains("[warning][cds") && text.contains(archive.file().toString()),
                    "the JVM's warning went to the worker's log, not its command channel: " + text);
        }
        assertNull(archive.problem(), "a worker that got ready is no reason to refuse the archive");
    }

    @Test
    void aTruncatedArchiveThatCrashesWorkersIsRefusedAndTheMapRuns(@TempDir Path storage) throws Exception {
        WorkerClassArchive archive = archive(ProcessesSettings.DEFAULT_JVM_ARGS);
        Path good = archive.build().orElseThrow(() -> new AssertionError(archive.problem()));
        byte[] bytes = Files.readAllBytes(good);
        Files.delete(good);
        // A valid header over a cut-off file: the JVM maps it and dies (SIGBUS) before the worker says hello.
        Files.write(good, Arrays.copyOf(bytes, bytes.length - 300_000));
        try (Executor ex = executor(storage, ProcessesSettings.DEFAULT_JVM_ARGS)) {
            for (String a : runMap(ex)) assertFalse(a.contains("SharedArchiveFile"), "replacements run without it: " + a);
        }
        assertFalse(Files.exists(good), "the broken file is removed");
        assertTrue(archive.problem().startsWith("a worker JVM started with the archive died before it was ready: worker JVM "),
                archive.problem());
        assertEquals(List.of(), archive.options(), "and not built again for this key");
    }

    @Test
    void aFailedBuildIsRecordedAndNotTriedAgain() throws Exception {
        // A class path without the training class: the training run fails.
        Path other = dir.resolve("lib.jar");
        writeJar(other, "a.txt", "a");
        WorkerClassArchive archive = WorkerClassArchive.of(JAVA, List.of("-Xmx64m"), other.toString(), dir);
        assertEquals(Optional.empty(), archive.build());
        assertTrue(archive.problem().startsWith("the training run exited with code 1"), archive.problem());
        Path log = dir.resolve(archive.key() + ".log");
        assertTrue(Files.readString(log).contains(WorkerClassArchive.TRAINING_MAIN), Files.readString(log));
        Files.delete(log);
        assertEquals(Optional.empty(), WorkerClassArchive.of(JAVA, List.of("-Xmx64m"), other.toString(), dir).build());
        assertFalse(Files.exists(log), "no second training run");
        assertEquals(List.of(), archive.options());
    }

    @Test
    void directoriesAndTheWorkersOwnSharingOptionsMeanNoArchive() throws IOException {
        WorkerClassArchive withDir = WorkerClassArchive.of(JAVA, List.of(), jar + java.io.File.pathSeparator + dir, dir);
        assertNull(withDir.key());
        assertTrue(withDir.problem().contains("holds the directory " + dir), withDir.problem());
        assertEquals(List.of(), withDir.options());
        WorkerClassArchive off = WorkerClassArchive.of(JAVA, List.of("-Xshare:off"), jar.toString(), dir);
        assertTrue(off.problem().contains("-Xshare:off"), off.problem());
        assertEquals(List.of(), off.options());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing built");
        }
    }

    @Test
    void theKeyFollowsTheJarsContentsEvenAtTheSameSizeAndTime() throws IOException {
        Path a = dir.resolve("a").resolve("lib.jar");
        Path b = dir.resolve("b").resolve("lib.jar");
        writeJar(a, "x.txt", "one");
        writeJar(b, "x.txt", "two");
        FileTime time = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(a, time);
        Files.setLastModifiedTime(b, time);
        assertEquals(Files.size(a), Files.size(b));
        Files.move(b, dir.resolve("b.jar"));
        String before = WorkerClassArchive.of(JAVA, List.of(), a.toString(), dir).key();
        Files.move(a, dir.resolve("a.jar"));
        Files.move(dir.resolve("b.jar"), a); // the same path, size and time, another content
        assertEquals(time, Files.getLastModifiedTime(a));
        String after = WorkerClassArchive.of(JAVA, List.of(), a.toString(), dir).key();
        assertNotEquals(before, after);
        assertEquals(after, WorkerClassArchive.of(JAVA, List.of(), a.toString(), dir).key(), "stable for the same jar");
        assertNotEquals(after, WorkerClassArchive.of(JAVA, List.of("-Xmx64m"), a.toString(), dir).key(), "and the options");
    }

    private static void writeJar(Path jar, String entry, String content) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}

package io.jwren.local;

import io.jwren.Executor;
import io.jwren.NotShippableException;
import io.jwren.SerializableFunction;
import io.jwren.local.shipping.Shapes.Box;
import io.jwren.local.shipping.Shapes.Collatz;
import io.jwren.local.shipping.Shapes.Mode;
import io.jwren.local.shipping.Shapes.Node;
import io.jwren.local.shipping.Shapes.Outer;
import io.jwren.local.shipping.Shapes.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closures shipped to worker JVMs whose class path holds only the worker runtime: every user class
 * below reaches the workers through the bundles jwren ships, so each test fails if shipping misses one.
 */
class ClosureShippingTest {
    @TempDir
    static Path storageDir;
    @TempDir
    static Path scratch;
    static Executor ex;

    @BeforeAll
    static void start() {
        ex = Executor.builder().backend("processes").storage(storageDir.toUri().toString())
                .property("jwren.workers", "2").build();
    }

    @AfterAll
    static void stop() {
        ex.close();
    }

    private static <T, R> List<R> run(SerializableFunction<T, R> fn, List<T> inputs) throws Exception {
        return ex.map(fn, inputs).get(60, TimeUnit.SECONDS);
    }

    @Test
    void capturedPrimitivesStringsRecordsEnumsArraysAndCollections() throws Exception {
        int factor = 3;
        long big = 10_000_000_000L;
        double half = 0.5;
        String prefix = "p";
        Point origin = new Point(2, -5);
        Mode mode = Mode.PRODUCT;
        int[] weights = {1, 2, 3};
        List<Point> points = List.of(new Point(1, 1), new Point(-2, 3));
        Map<String, Integer> bonus = new LinkedHashMap<>(Map.of("a", 100));
        List<String> out = run((Integer x) -> prefix + (x * factor + big) + "/" + (x * half) + "/" + origin.manhattan()
                + "/" + mode.combine(x, weights[x % 3]) + "/" + mode.name() + "/" + points.get(1).manhattan()
                + "/" + bonus.get("a"), List.of(1, 2));
        assertEquals(List.of("p10000000003/0.5/7/2/PRODUCT/5/100", "p10000000006/1.0/7/6/PRODUCT/5/100"), out);
    }

    @Test
    void innerClassInstancesKeepTheirOuterInstance() throws Exception {
        Outer.Shifter shifter = new Outer(40).shifter();
        assertEquals(List.of(41, 42), run((Integer x) -> shifter.shift(x), List.of(1, 2)));
    }

    @Test
    void methodReferencesStaticBoundAndUnbound() throws Exception {
        assertEquals(List.of(0, 7, 2), run(Collatz::steps, List.of(1L, 3L, 4L)));
        assertEquals(List.of(3, 5), run(String::length, List.of("abc", "hello")));
        Point p = new Point(3, 4);
        assertEquals(List.of(true, false), run(p::equals, List.<Object>of(new Point(3, 4), new Point(0, 0))));
    }

    @Test
    void staticHelpersOfOtherUserClasses() throws Exception {
        assertEquals(List.of(List.of(0, 1, 7), List.of(0, 1)), run((Integer n) -> Collatz.upTo(n), List.of(3, 2)));
    }

    @Test
    void aLambdaCapturingAnotherLambda() throws Exception {
        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        SerializableFunction<Integer, Integer> twiceInc = x -> inc.apply(inc.apply(x));
        assertEquals(List.of(30, 60), run((Integer x) -> twiceInc.apply(x) * 10, List.of(1, 4)));
    }

    @Test
    void genericUserTypesAsInputsAndResults() throws Exception {
        List<Box<List<Point>>> inputs = List.of(new Box<>(List.of(new Point(1, 2))), new Box<>(List.of(new Point(3, 4), new Point(5, 6))));
        List<Box<Integer>> out = run((Box<List<Point>> b) -> new Box<>(b.get().stream().mapToInt(Point::manhattan).sum()), inputs);
        assertEquals(List.of(3, 18), out.stream().map(Box::get).toList());
    }

    @Test
    void cyclicGraphsArriveWithTheirCycles() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        Node c = new Node("c");
        a.next = b;
        b.next = c;
        c.next = a;
        assertEquals(List.of("a3", "b3"), run((Node n) -> n.name + n.cycleLength(), List.of(a, b)));
        assertEquals(List.of(3), run((Integer x) -> a.next.next.next == a ? 3 : -1, List.of(0)));
    }

    @Test
    void aThirdPartyJarIsShippedWholeUnderItsHashAndOnlyOnce() throws Exception {
        Path classes = SourceCompiler.compile(scratch.resolve("thirdparty-classes"), Map.of(
                "thirdparty.Greeter", "package thirdparty; public final class Greeter {"
                        + " public static String greet(String who) { return \"hello \" + who; } }",
                "thirdparty.Shout", "package thirdparty; public final class Shout"
                        + " implements io.jwren.SerializableFunction<String, String> {"
                        + " public String call(String s) { return Greeter.greet(s).toUpperCase(); } }"));
        Path jar = SourceCompiler.jar(classes, scratch.resolve("thirdparty-1.0.jar"));
        String key = "classes/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))) + ".jar";
        try (URLClassLoader loader = SourceCompiler.loader(jar)) {
            @SuppressWarnings("unchecked")
            SerializableFunction<String, String> shout = (SerializableFunction<String, String>)
                    loader.loadClass("thirdparty.Shout").getDeclaredConstructor().newInstance();
            assertEquals(List.of("HELLO ADA", "HELLO BOB"), run(shout, List.of("ada", "bob")));
            Path stored = storageDir.resolve(key);
            assertTrue(Files.isRegularFile(stored), "the jar is stored under the SHA-256 of its bytes: " + key);
            assertEquals(Files.size(jar), Files.size(stored));
            Object inode = Files.getAttribute(stored, "unix:ino");

            assertEquals(List.of("HELLO EVE"), run(shout, List.of("eve")));
            assertEquals(inode, Files.getAttribute(stored, "unix:ino"), "the second job must not upload the jar again");
        }
    }

    @Test
    void aClassEditedBetweenTwoJobsRunsItsNewCode() throws Exception {
        List<String> results = new ArrayList<>();
        for (String version : List.of("one", "two")) {
            Path classes = SourceCompiler.compile(scratch.resolve("edited-" + version), Map.of(
                    "edited.Version", "package edited; public final class Version {"
                            + " static String tag() { return \"" + version + "\"; } }",
                    "edited.Tag", "package edited; public final class Tag"
                            + " implements io.jwren.SerializableFunction<Integer, String> {"
                            + " public String call(Integer x) { return Version.tag() + x; } }"));
            try (URLClassLoader loader = SourceCompiler.loader(classes)) {
                @SuppressWarnings("unchecked")
                SerializableFunction<Integer, String> tag = (SerializableFunction<Integer, String>)
                        loader.loadClass("edited.Tag").getDeclaredConstructor().newInstance();
                results.addAll(run(tag, List.of(1, 2, 3, 4)));
            }
        }
        assertEquals(List.of("one1", "one2", "one3", "one4", "two1", "two2", "two3", "two4"), results);
    }

    @Test
    void aClassCompiledForANewerJavaIsRefusedAtSubmit() throws Exception {
        Path classes = SourceCompiler.compile(scratch.resolve("too-new"), Map.of(
                "future.Helper", "package future; public final class Helper { static int twice(int x) { return 2 * x; } }",
                "future.Twice", "package future; public final class Twice"
                        + " implements io.jwren.SerializableFunction<Integer, Integer> {"
                        + " public Integer call(Integer x) { return Helper.twice(x); } }"));
        // Mark Helper as compiled for Java 25 (class file 69); the client never loads it, the walk reads it.
        Path helper = classes.resolve("future/Helper.class");
        byte[] bytes = Files.readAllBytes(helper);
        bytes[6] = 0;
        bytes[7] = 69;
        Files.write(helper, bytes);
        try (URLClassLoader loader = SourceCompiler.loader(classes)) {
            @SuppressWarnings("unchecked")
            SerializableFunction<Integer, Integer> twice = (SerializableFunction<Integer, Integer>)
                    loader.loadClass("future.Twice").getDeclaredConstructor().newInstance();
            NotShippableException e = assertThrows(NotShippableException.class, () -> ex.map(twice, List.of(1)));
            String running = String.valueOf(Runtime.version().feature());
            assertTrue(e.getMessage().contains("future.Helper") && e.getMessage().contains("Java 25")
                    && e.getMessage().contains("workers run Java " + running), e.getMessage());
            assertEquals("future.Helper", e.offendingClass());
        }
    }

    /** A user object holding something that only makes sense in this JVM. */
    static final class Connection implements java.io.Serializable {
        final String host;
        final Socket conn;

        Connection(String host, Socket conn) {
            this.host = host;
            this.conn = conn;
        }
    }

    @Test
    void capturesThatCannotShipFailAtMapNamingThePath() throws Exception {
        Connection db = new Connection("db", new Socket());
        NotShippableException socket = assertThrows(NotShippableException.class,
                () -> ex.map((Integer x) -> db.host + x, List.of(1)));
        assertTrue(socket.getMessage().contains("captured arg 1 (" + Connection.class.getName() + ") -> field conn (java.net.Socket)"),
                socket.getMessage());
        assertEquals("java.net.Socket", socket.offendingClass());

        InputStream in = new ByteArrayInputStream(new byte[1]);
        NotShippableException stream = assertThrows(NotShippableException.class, () -> ex.map((Integer x) -> x + in.hashCode(), List.of(1)));
        assertTrue(stream.getMessage().contains("java.io.ByteArrayInputStream") && stream.getMessage().contains("captured arg 1"),
                stream.getMessage());

        Stream<String> lines = Stream.of("a");
        NotShippableException pipeline = assertThrows(NotShippableException.class, () -> ex.map((Integer x) -> x + lines.hashCode(), List.of(1)));
        assertTrue(pipeline.getMessage().contains("collect it"), pipeline.getMessage());

        Executor self = ex;
        NotShippableException executor = assertThrows(NotShippableException.class, () -> ex.map((Integer x) -> self.id() + x, List.of(1)));
        assertTrue(executor.getMessage().contains("the executor runs in the client only"), executor.getMessage());

        NotShippableException input = assertThrows(NotShippableException.class,
                () -> ex.map((Connection c) -> c.host, List.of(new Connection("a", null), db)));
        assertTrue(input.getMessage().contains("input 1 (" + Connection.class.getName() + ") -> field conn (java.net.Socket)"),
                input.getMessage());
        // A refused input is found while the inputs stream to storage; the map leaves no half-staged job.
        try (Stream<Path> jobs = Files.list(storageDir.resolve("jobs"))) {
            for (Path job : (Iterable<Path>) jobs::iterator) {
                assertTrue(Files.exists(job.resolve("manifest")) || !Files.exists(job.resolve("inputs")),
                        "half-staged job left behind: " + job);
            }
        }
    }

    /** The closure is packaged, and refused, before any input is read or anything is uploaded. */
    @Test
    void anUnshippableClosureIsRefusedBeforeAnyInputIsReadOrUploaded() throws Exception {
        Path dir = scratch.resolve("fail-fast");
        java.util.concurrent.atomic.AtomicInteger iterated = new java.util.concurrent.atomic.AtomicInteger();
        Iterable<Integer> inputs = () -> {
            iterated.incrementAndGet();
            return List.of(1, 2, 3).iterator();
        };
        Connection db = new Connection("db", new Socket());
        try (Executor fresh = Executor.builder().backend("processes").storage(dir.toUri().toString())
                .property("jwren.workers", "1").build()) {
            NotShippableException e = assertThrows(NotShippableException.class, () -> fresh.map((Integer x) -> db.host + x, inputs));
            assertTrue(e.getMessage().contains("field conn (java.net.Socket)"), e.getMessage());
        }
        assertEquals(0, iterated.get(), "the inputs were read before the closure was refused");
        List<Path> stored;
        try (Stream<Path> files = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        assertEquals(List.of(), stored, "uploaded before the closure was refused");
    }
}

package io.jwren.testing.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jwren.testing.s3.HttpFaultProxy.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault proxy between a JDK {@link HttpClient} (HTTP/1.1, keep-alive) and a JDK {@link HttpServer}, plus raw
 * sockets on either side where the exact bytes on the wire matter.
 */
class HttpFaultProxyTest {
    /** Only bounds a wait that would otherwise hang (no assertion relies on it firing): generous for a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static {
        // The JDK server writes a response's head and body separately; without TCP_NODELAY a small body waits for
        // the delayed ACK of the head (40 ms a request). Read once, when the JDK's HttpServer is first used.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private Upstream upstream;
    private HttpFaultProxy proxy;
    private HttpClient client;

    @BeforeEach
    void setUp() throws IOException {
        upstream = Upstream.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) proxy.close();
        upstream.close();
    }

    private HttpFaultProxy startProxy(double faultRate, long seed) {
        proxy = HttpFaultProxy.start("127.0.0.1", upstream.port(), faultRate, seed);
        return proxy;
    }

    private HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create(proxy.endpoint() + target)).timeout(TIMEOUT);
    }

    @Test
    void passesThroughFixedLengthGetPutHeadAndDelete() throws Exception {
        startProxy(0, 1);
        assertEquals("http://127.0.0.1:" + proxy.port(), proxy.endpoint());

        HttpResponse<byte[]> get = client.send(request("/blob/a?size=100000").GET().build(), BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertArrayEquals(pattern(100_000), get.body());
        assertEquals(Optional.of("100000"), get.headers().firstValue("content-length"));

        byte[] upload = randomBytes(1 << 20, 3);
        HttpResponse<String> put = client.send(request("/blob/a").PUT(BodyPublishers.ofByteArray(upload)).build(),
                BodyHandlers.ofString());
        assertEquals(200, put.statusCode());
        assertEquals(upload.length + " " + crc(upload), put.body());

        // HEAD announces a length but has no body: the next request on the connection must still work
        HttpResponse<byte[]> head = client.send(request("/blob/a?size=12345").method("HEAD", BodyPublishers.noBody())
                .build(), BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(Optional.of("12345"), head.headers().firstValue("content-length"));
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> delete = client.send(request("/blob/a").DELETE().build(), BodyHandlers.ofByteArray());
        assertEquals(204, delete.statusCode());
        assertEquals(0, delete.body().length);

        HttpResponse<byte[]> again = client.send(request("/blob/b?size=777").GET().build(), BodyHandlers.ofByteArray());
        assertArrayEquals(pattern(777), again.body());

        List<Upstream.Seen> seen = upstream.seen();
        assertEquals(List.of("GET /blob/a?size=100000", "PUT /blob/a", "HEAD /blob/a?size=12345", "DELETE /blob/a",
                "GET /blob/b?size=777"), seen.stream().map(s -> s.method() + " " + s.target()).toList());
        assertEquals(List.of(String.valueOf(upload.length)), seen.get(1).headers().get("content-length"));
        assertEquals(upload.length, seen.get(1).bodyLength());
        assertEquals(crc(upload), seen.get(1).bodyCrc());
        assertEquals(List.of(new Request("GET", "/blob/a?size=100000", false), new Request("PUT", "/blob/a", false),
                new Request("HEAD", "/blob/a?size=12345", false), new Request("DELETE", "/blob/a", false),
                new Request("GET", "/blob/b?size=777", false)), proxy.requests());
        assertEquals(0, proxy.faultsInjected());
    }

    @Test
    void keepsClientAndUpstreamConnectionsAlive() throws Exception {
        startProxy(0, 1);
        for (int i = 0; i < 10; i++) {
            HttpResponse<byte[]> response = client.send(request("/blob/k" + i + "?size=" + (1000 + i)).GET().build(),
                    BodyHandlers.ofByteArray());
            assertArrayEquals(pattern(1000 + i), response.body());
        }
        // sequential requests of one client go over one client connection, hence over one upstream connection
        assertEquals(1, upstream.seen().stream().map(Upstream.Seen::remotePort).distinct().count());

        // exactly: five requests written on one raw socket, five responses read back from it
        upstream.clear();
        try (Socket raw = rawClient()) {
            InputStream in = raw.getInputStream();
            OutputStream out = raw.getOutputStream();
            for (int i = 0; i < 5; i++) {
                out.write(ascii("GET /raw/" + i + "?size=" + (10 + i) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
                out.flush();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 "), head);
                assertArrayEquals(pattern(10 + i), in.readNBytes(contentLength(head)));
            }
        }
        List<Upstream.Seen> seen = upstream.seen();
        assertEquals(5, seen.size());
        assertEquals(1, seen.stream().map(Upstream.Seen::remotePort).distinct().count());
    }

    @Test
    void streamsChunkedBodiesBothWays() throws Exception {
        startProxy(0, 1);
        int size = 5 * 1024 * 1024;
        HttpResponse<String> put = client.send(request("/chunked-up")
                .PUT(BodyPublishers.ofInputStream(() -> new PatternStream(size))).build(), BodyHandlers.ofString());
        assertEquals(200, put.statusCode());
        long expectedCrc = crc(new PatternStream(size));
        assertEquals(size + " " + expectedCrc, put.body());
        Upstream.Seen up = upstream.seen().get(0);
        assertEquals(List.of("chunked"), up.headers().get("transfer-encoding"));
        assertEquals(size, up.bodyLength());
        assertEquals(expectedCrc, up.bodyCrc());

        HttpResponse<InputStream> down = client.send(request("/stream?size=" + size).GET().build(),
                BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(Optional.of("chunked"), down.headers().firstValue("transfer-encoding"));
        try (InputStream body = down.body()) {
            CRC32 crc = new CRC32();
            long length = 0;
            byte[] buffer = new byte[65536];
            for (int n; (n = body.read(buffer)) >= 0; length += n) crc.update(buffer, 0, n);
            assertEquals(size, length);
            assertEquals(expectedCrc, crc.getValue());
        }

        // the connection is still good after both chunked messages
        assertArrayEquals(pattern(99), client.send(request("/after?size=99").GET().build(),
                BodyHandlers.ofByteArray()).body());
        assertEquals(1, upstream.seen().stream().map(Upstream.Seen::remotePort).distinct().count());
    }

    @Test
    void answersExpectContinueItselfAndDoesNotForwardIt() throws Exception {
        startProxy(0, 1);
        byte[] upload = randomBytes(300_000, 5);
        HttpResponse<String> put = client.send(request("/expect").expectContinue(true)
                .PUT(BodyPublishers.ofByteArray(upload)).build(), BodyHandlers.ofString());
        assertEquals(200, put.statusCode());
        assertEquals(upload.length + " " + crc(upload), put.body());
        Upstream.Seen seen = upstream.seen().get(0);
        assertFalse(seen.headers().containsKey("expect"), seen.headers().toString());
        assertEquals(crc(upload), seen.bodyCrc());

        // on the wire: the 100 comes before the body is sent, and the upstream gets the request without Expect
        try (ServerSocket rawUpstream = rawUpstream();
             HttpFaultProxy rawProxy = HttpFaultProxy.start("127.0.0.1", rawUpstream.getLocalPort(), 0, 1);
             Socket raw = rawClient(rawProxy.port())) {
            OutputStream out = raw.getOutputStream();
            InputStream in = raw.getInputStream();
            out.write(ascii("PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
            out.flush();
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", readAscii(in, 25));
            out.write(ascii("hello"));
            out.flush();
            try (Socket server = rawUpstream.accept()) {
                server.setSoTimeout((int) TIMEOUT.toMillis());
                String forwarded = "PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
                assertEquals(forwarded, readAscii(server.getInputStream(), forwarded.length()));
                String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                server.getOutputStream().write(ascii(response));
                assertEquals(response, readAscii(in, response.length()));
            }
        }
    }

    @Test
    void forwardsChunkLinesTrailersAndBodiesThatEndAtUpstreamClose() throws Exception {
        try (ServerSocket rawUpstream = rawUpstream()) {
            proxy = HttpFaultProxy.start("127.0.0.1", rawUpstream.getLocalPort(), 0, 1);
            try (Socket raw = rawClient()) {
                OutputStream out = raw.getOutputStream();
                InputStream in = raw.getInputStream();
                String request1 = "POST /t?x=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Checksum: abc\r\n\r\n";
                out.write(ascii(request1));
                out.flush();
                try (Socket server = rawUpstream.accept()) {
                    server.setSoTimeout((int) TIMEOUT.toMillis());
                    InputStream serverIn = server.getInputStream();
                    OutputStream serverOut = server.getOutputStream();
                    assertEquals(request1, readAscii(serverIn, request1.length()));
                    String response1 = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n";
                    serverOut.write(ascii(response1));
                    serverOut.flush();
                    assertEquals(response1, readAscii(in, response1.length()));

                    // same client connection, same upstream connection: a response without length ends at close
                    String request2 = "GET /until-close HTTP/1.1\r\nHost: x\r\n\r\n";
                    out.write(ascii(request2));
                    out.flush();
                    assertEquals(request2, readAscii(serverIn, request2.length()));
                    String response2 = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this, until close";
                    serverOut.write(ascii(response2));
                    serverOut.flush();
                    server.shutdownOutput();
                    assertEquals(response2, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertEquals(List.of(new Request("POST", "/t?x=1", false), new Request("GET", "/until-close", false)),
                proxy.requests());
    }

    @Test
    void countsRequestsAndResetsTheCounts() throws Exception {
        startProxy(0, 1);
        for (int i = 0; i < 3; i++) client.send(request("/c/" + i + "?size=1").GET().build(), BodyHandlers.discarding());
        client.send(request("/c/put").PUT(BodyPublishers.ofString("x")).build(), BodyHandlers.discarding());
        client.send(request("/c/head?size=5").method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.discarding());

        assertEquals(5, proxy.requests().size());
        assertEquals(3, proxy.count(r -> r.method().equals("GET")));
        assertEquals(1, proxy.count(r -> r.method().equals("PUT") && r.target().equals("/c/put")));
        assertEquals(1, proxy.count(r -> r.target().endsWith("?size=5")));
        assertEquals(0, proxy.count(Request::faulted));
        List<Request> snapshot = proxy.requests();
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(new Request("GET", "/", false)));

        proxy.resetCounts();
        assertEquals(List.of(), proxy.requests());
        assertEquals(0, proxy.count(r -> true));
        assertEquals(5, snapshot.size());

        client.send(request("/c/after").DELETE().build(), BodyHandlers.discarding());
        assertEquals(List.of(new Request("DELETE", "/c/after", false)), proxy.requests());
        assertEquals(6, upstream.seen().size());
    }

    @Test
    void dropsMalformedRequestsAndKeepsServing() throws Exception {
        startProxy(0, 1);
        for (String garbage : List.of("NONSENSE\r\n\r\n", "GET /x HTTP/1.1\r\nno colon here\r\n\r\n",
                "PUT /x HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")) {
            try (Socket raw = rawClient()) {
                raw.getOutputStream().write(ascii(garbage));
                raw.getOutputStream().flush();
                assertClosedByPeer(raw);
            }
        }
        HttpResponse<byte[]> ok = client.send(request("/fine?size=3").GET().build(), BodyHandlers.ofByteArray());
        assertArrayEquals(pattern(3), ok.body());
        // the request with the bad chunk had a valid head, so it was counted; none of them reached the upstream
        assertEquals(List.of(new Request("PUT", "/x", false), new Request("GET", "/fine?size=3", false)),
                proxy.requests());
        assertEquals(List.of("/fine?size=3"), upstream.seen().stream().map(Upstream.Seen::target).toList());
    }

    @Test
    void faultRateOneAnswers503OrResetsAndNeverReachesUpstream() throws Exception {
        startProxy(1.0, 42);
        int slowDowns = 0;
        int resets = 0;
        List<Request> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add(new Request("PUT", "/fault/" + i, true));
            HttpRequest put = request("/fault/" + i).PUT(BodyPublishers.ofByteArray(randomBytes(1000 + 97 * i, i)))
                    .build();
            try {
                HttpResponse<String> response = client.send(put, BodyHandlers.ofString());
                assertEquals(503, response.statusCode());
                assertEquals(HttpFaultProxy.SLOW_DOWN_BODY, response.body());
                assertEquals(Optional.of("application/xml"), response.headers().firstValue("content-type"));
                assertEquals(Optional.of("close"), response.headers().firstValue("connection"));
                slowDowns++;
            } catch (IOException reset) {
                resets++;
            }
        }
        assertTrue(slowDowns > 0, "no 503");
        assertTrue(resets > 0, "no reset");
        assertEquals(30, proxy.faultsInjected());
        assertEquals(expected, proxy.requests());
        assertEquals(List.of(), upstream.seen());
    }

    @Test
    void faultRateThirtyPercentFaultsSomeAndForwardsTheRest() throws Exception {
        startProxy(0.3, 7);
        int faults = 0;
        int key = 0;
        List<String> stored = new ArrayList<>();
        for (int attempt = 0; attempt < 200; attempt++) { // retry the same object until it succeeds
            byte[] body = randomBytes(2000 + key, key);
            HttpRequest put = request("/retry/" + key).PUT(BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<String> response = client.send(put, BodyHandlers.ofString());
                if (response.statusCode() == 503) {
                    assertEquals(HttpFaultProxy.SLOW_DOWN_BODY, response.body());
                    faults++;
                    continue;
                }
                assertEquals(200, response.statusCode());
                assertEquals(body.length + " " + crc(body), response.body());
                stored.add("/retry/" + key + " " + crc(body));
                key++;
            } catch (IOException reset) {
                faults++;
            }
        }
        assertTrue(faults >= 30 && faults <= 90, "faults: " + faults);
        assertEquals(faults, proxy.faultsInjected());
        assertEquals(200 - faults, key);
        assertEquals(200, proxy.requests().size());
        assertEquals(faults, proxy.count(Request::faulted));
        // every successful upload reached the upstream exactly once and intact, and no faulted one did
        assertEquals(stored, upstream.seen().stream().map(s -> s.target() + " " + s.bodyCrc()).toList());

        proxy.faultRate(0);
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> response = client.send(request("/calm/" + i + "?size=64").GET().build(),
                    BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
        }
        assertEquals(faults, proxy.faultsInjected());
        assertThrows(IllegalArgumentException.class, () -> proxy.faultRate(1.5));
    }

    @Test
    void closeReleasesThePortTheConnectionsAndTheThreads() throws Exception {
        startProxy(0, 1);
        int port = proxy.port();
        Socket idle = rawClient();
        idle.getOutputStream().write(ascii("GET /idle?size=4 HTTP/1.1\r\nHost: x\r\n\r\n"));
        idle.getOutputStream().flush();
        String head = readHead(idle.getInputStream());
        assertArrayEquals(pattern(4), idle.getInputStream().readNBytes(contentLength(head)));
        String prefix = "http-fault-proxy-" + port + "-";
        assertTrue(proxyThreads(prefix).size() >= 2, "accept and connection threads");

        proxy.close();
        proxy.close(); // idempotent

        assertClosedByPeer(idle);
        idle.close();
        assertEquals(List.of(), proxyThreads(prefix));
        assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, port).close());
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(LOOPBACK, port));
            assertEquals(port, again.getLocalPort());
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private Socket rawClient() throws IOException {
        return rawClient(proxy.port());
    }

    private static Socket rawClient(int port) throws IOException {
        Socket socket = new Socket(LOOPBACK, port);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    private static ServerSocket rawUpstream() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        server.setSoTimeout((int) TIMEOUT.toMillis());
        return server;
    }

    private static void assertClosedByPeer(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read());
        } catch (SocketException reset) {
            // closed abruptly: closed all the same
        }
    }

    private static List<String> proxyThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toList());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("end of stream inside a response head: " + head);
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    private static String readAscii(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte patternByte(long i) {
        return (byte) (i * 7 + (i >>> 10));
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = patternByte(i);
        return bytes;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static long crc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) >= 0; ) crc.update(buffer, 0, n);
        return crc.getValue();
    }

    /** {@code size} bytes of {@link #patternByte}, generated as they are read. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? patternByte(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (position >= size) return -1;
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) b[off + i] = patternByte(position++);
            return n;
        }
    }

    /**
     * The upstream: records each request (with its headers, the proxy-side port it came from and a CRC of its
     * body). GET answers {@code size} pattern bytes (chunked under /stream), HEAD only their length, DELETE 204,
     * anything else the length and CRC of the body it received.
     */
    static final class Upstream implements AutoCloseable {
        record Seen(String method, String target, Map<String, List<String>> headers, int remotePort, long bodyLength,
                    long bodyCrc) {
        }

        private final HttpServer server;
        private final ExecutorService executor;
        private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

        private Upstream(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static Upstream start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "fault-proxy-test-upstream");
                thread.setDaemon(true);
                return thread;
            });
            Upstream upstream = new Upstream(server, executor);
            server.createContext("/", upstream::handle);
            server.setExecutor(executor);
            server.start();
            return upstream;
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Seen> seen() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        void clear() {
            seen.clear();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try {
                URI uri = exchange.getRequestURI();
                String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                CRC32 crc = new CRC32();
                long length = 0;
                try (InputStream body = exchange.getRequestBody()) {
                    byte[] buffer = new byte[65536];
                    for (int n; (n = body.read(buffer)) >= 0; length += n) crc.update(buffer, 0, n);
                }
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
                String method = exchange.getRequestMethod();
                seen.add(new Seen(method, target, headers, exchange.getRemoteAddress().getPort(), length,
                        crc.getValue()));

                long size = 0;
                String query = uri.getRawQuery();
                if (query != null && query.startsWith("size=")) size = Long.parseLong(query.substring(5));
                switch (method) {
                    case "GET" -> {
                        boolean chunked = uri.getRawPath().startsWith("/stream");
                        exchange.sendResponseHeaders(200, chunked ? 0 : size == 0 ? -1 : size);
                        try (OutputStream out = exchange.getResponseBody()) {
                            new PatternStream(size).transferTo(out);
                        }
                    }
                    case "HEAD" -> {
                        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                        exchange.sendResponseHeaders(200, -1);
                    }
                    case "DELETE" -> exchange.sendResponseHeaders(204, -1);
                    default -> {
                        byte[] reply = (length + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
                        exchange.sendResponseHeaders(200, reply.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(reply);
                        }
                    }
                }
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}

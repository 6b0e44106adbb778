package io.jwren.testing.s3;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy for HTTP/1.1 that sits between S3 clients and an S3 server, to count the requests that
 * reach S3 and to inject faults.
 *
 * <p>Every accepted client connection is served by its own daemon thread, request by request (keep-alive), over
 * its own upstream connection, which is opened lazily and reopened when the upstream has closed it. Requests and
 * responses are framed by {@code Content-Length} or {@code Transfer-Encoding: chunked} (chunk lines and trailers
 * are forwarded as they are); bodies are streamed through a 64 KiB buffer, never held whole. A response that has
 * neither ends when the upstream closes, and then the client connection is closed too. An {@code Expect:
 * 100-continue} is answered by the proxy itself and not forwarded.
 *
 * <p>With probability {@link #faultRate(double) faultRate} per request, after the complete request has been read
 * from the client (so it never reaches the upstream), one of two faults is injected with equal probability: a
 * {@code 503 SlowDown} S3 error followed by closing the connection, or an abrupt reset of the client connection
 * without any response. {@link #faultResponse} replaces both with one error answer of another service (the
 * Lambda Invoke API's 429, say). Faulted requests are recorded too, with {@link Request#faulted()} set.
 *
 * <p>A malformed request or an I/O error closes that one connection; {@link #close()} closes the listener and
 * every open connection and waits for the proxy's threads to end.
 */
public final class HttpFaultProxy implements AutoCloseable {

    /** One request as the client sent it: method and target (path and query), and whether it was faulted. */
    public record Request(String method, String target, boolean faulted) {
    }

    /** The body of the injected 503 response. */
    public static final String SLOW_DOWN_BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADER_LINES = 256;
    /** How long close() waits for its threads to end (they end at once once their sockets are closed; a loaded machine may be slow). */
    private static final long JOIN_MILLIS = 60_000;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private enum Fault { NONE, SLOW_DOWN, RESPONSE, RESET }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final String threadPrefix;
    private final Thread acceptThread;

    private final Object lifecycle = new Object();
    private boolean closed; // guarded by lifecycle
    private volatile boolean closing;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();

    private final List<Request> requests = new ArrayList<>(); // guarded by itself
    private final AtomicInteger faults = new AtomicInteger();
    private final Object randomLock = new Object();
    private final Random random; // guarded by randomLock
    private volatile double faultRate;
    private volatile FaultResponse faultResponse; // null: S3's SlowDown or a reset, half and half

    /** An error answer the proxy gives instead of forwarding: status line, headers and body. */
    public record FaultResponse(int status, String reason, Map<String, String> headers, String body) {}

    private HttpFaultProxy(String targetHost, int targetPort, double faultRate, long seed, ServerSocket listener) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.faultRate = faultRate;
        this.random = new Random(seed);
        this.listener = listener;
        this.threadPrefix = "http-fault-proxy-" + listener.getLocalPort();
        this.acceptThread = new Thread(this::acceptLoop, threadPrefix + "-accept");
        this.acceptThread.setDaemon(true);
    }

    /**
     * Starts a proxy on an ephemeral port of 127.0.0.1 that forwards to {@code targetHost:targetPort}.
     *
     * @param faultRate probability in [0, 1] that a request is faulted instead of forwarded
     * @param seed      seed of the random source that decides the faults
     */
    public static HttpFaultProxy start(String targetHost, int targetPort, double faultRate, long seed) {
        checkRate(faultRate);
        if (targetPort <= 0 || targetPort > 65535) throw new IllegalArgumentException("bad port " + targetPort);
        ServerSocket listener = null;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), 0), 512);
            HttpFaultProxy proxy = new HttpFaultProxy(targetHost, targetPort, faultRate, seed, listener);
            proxy.acceptThread.start();
            return proxy;
        } catch (IOException e) {
            closeQuietly(listener);
            throw new UncheckedIOException("cannot start the proxy", e);
        }
    }

    /** The port the proxy listens on, on 127.0.0.1. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}, the endpoint clients should use. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Changes the fault probability for the requests read from now on. */
    public void faultRate(double rate) {
        checkRate(rate);
        this.faultRate = rate;
    }

    /** The current fault probability. */
    public double faultRate() {
        return faultRate;
    }

    /** How many faults were injected since start or the last {@link #resetCounts()}. */
    public int faultsInjected() {
        return faults.get();
    }

    /** A copy of the requests recorded since start or the last {@link #resetCounts()}, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many recorded requests match. */
    public long count(Predicate<Request> predicate) {
        synchronized (requests) {
            return requests.stream().filter(predicate).count();
        }
    }

    /** Forgets the recorded requests and sets {@link #faultsInjected()} back to 0. */
    public void resetCounts() {
        synchronized (requests) {
            requests.clear();
            faults.set(0);
        }
    }

    /** Closes the listener and every open connection, and waits (a few seconds at most) for the threads to end. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            closing = true;
        }
        closeQuietly(listener);
        for (Socket socket : sockets) closeQuietly(socket);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        join(acceptThread, deadline);
        for (Thread handler : List.copyOf(handlers)) join(handler, deadline);
    }

    @Override
    public String toString() {
        return "HttpFaultProxy[" + endpoint() + " -> " + targetHost + ":" + targetPort + ", faultRate=" + faultRate + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accepting

    private void acceptLoop() {
        while (!closing) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException | RuntimeException e) {
                if (closing || listener.isClosed()) return;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // e.g. out of file descriptors
                continue;
            }
            try {
                serveInThread(client);
            } catch (Throwable t) { // e.g. no thread could be created: drop this connection, keep accepting
                closeQuietly(client);
                sockets.remove(client);
            }
        }
    }

    private void serveInThread(Socket client) {
        synchronized (lifecycle) {
            if (closed) {
                closeQuietly(client);
                return;
            }
            sockets.add(client);
            Thread thread = new Thread(() -> new Connection(client).run(),
                    threadPrefix + "-conn-" + connectionIds.incrementAndGet());
            thread.setDaemon(true);
            handlers.add(thread);
            try {
                thread.start();
            } catch (Throwable t) {
                handlers.remove(thread);
                throw t;
            }
        }
    }

    /** From now on faulted requests all get {@code response}, followed by closing the connection. */
    public void faultResponse(FaultResponse response) {
        this.faultResponse = response;
    }

    private Fault drawFault() {
        synchronized (randomLock) {
            double rate = faultRate;
            if (rate <= 0 || random.nextDouble() >= rate) return Fault.NONE;
            if (faultResponse != null) return Fault.RESPONSE;
            return random.nextBoolean() ? Fault.SLOW_DOWN : Fault.RESET;
        }
    }

    private void record(Request request) {
        synchronized (requests) {
            requests.add(request);
            if (request.faulted()) faults.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // One client connection

    private final class Connection {
        private final Socket client;
        private final byte[] buffer = new byte[BUFFER_SIZE];
        private Socket upstream;
        private InputStream upIn;
        private OutputStream upOut;

        Connection(Socket client) {
            this.client = client;
        }

        void run() {
            try {
                client.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(client.getInputStream(), BUFFER_SIZE);
                OutputStream out = new BufferedOutputStream(client.getOutputStream(), BUFFER_SIZE);
                while (!closing && exchange(in, out)) {
                    // next request on the kept-alive connection
                }
            } catch (IOException | RuntimeException e) {
                // malformed request or I/O error: this connection ends, nothing else does
            } finally {
                closeUpstream();
                closeQuietly(client);
                sockets.remove(client);
                handlers.remove(Thread.currentThread());
            }
        }

        /** Serves one request; true if the client connection stays open for the next one. */
        private boolean exchange(InputStream in, OutputStream out) throws IOException {
            String requestLine = readLine(in);
            for (int blank = 0; requestLine != null && requestLine.isEmpty(); blank++) { // RFC 9112 2.2
                if (blank > 8) throw new ProtocolException("blank lines instead of a request");
                requestLine = readLine(in);
            }
            if (requestLine == null) return false; // the client closed between requests

            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !isToken(parts[0])
                    || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
                throw new ProtocolException("malformed request line: " + requestLine);
            }
            String method = parts[0];
            String target = parts[1];
            boolean http10 = parts[2].equals("HTTP/1.0");
            Headers headers = Headers.read(in);

            long contentLength = headers.contentLength();
            boolean chunked = headers.chunked();
            if (headers.has("Transfer-Encoding") && !chunked) {
                throw new ProtocolException("request transfer coding other than chunked");
            }
            boolean hasBody = chunked || contentLength > 0;
            boolean clientKeepAlive = http10 ? headers.hasToken("Connection", "keep-alive")
                    : !headers.hasToken("Connection", "close");

            boolean expectContinue = !http10 && headers.values("Expect").stream()
                    .anyMatch(v -> v.trim().equalsIgnoreCase("100-continue"));
            if (expectContinue && hasBody) {
                out.write(CONTINUE);
                out.flush();
            }

            Fault fault = drawFault();
            record(new Request(method, target, fault != Fault.NONE));
            if (fault != Fault.NONE) {
                copyBody(in, null, chunked, Math.max(contentLength, 0)); // read the whole request, forward nothing
                inject(fault, method, out);
                return false;
            }

            ensureUpstream();
            StringBuilder head = new StringBuilder(256).append(requestLine).append("\r\n");
            for (String line : headers.lines) {
                String name = Headers.name(line);
                if (expectContinue && name.equalsIgnoreCase("Expect")) continue;
                if (chunked && name.equalsIgnoreCase("Content-Length")) continue; // chunked framing wins
                head.append(line).append("\r\n");
            }
            head.append("\r\n");
            upOut.write(ascii(head.toString()));
            copyBody(in, upOut, chunked, Math.max(contentLength, 0));
            upOut.flush();

            return relayResponse(method, out) && clientKeepAlive;
        }

        /** Forwards the upstream's response; true if both connections may be kept for another request. */
        private boolean relayResponse(String method, OutputStream out) throws IOException {
            while (true) {
                String statusLine = readLine(upIn);
                if (statusLine == null) throw new EOFException("upstream closed without a response");
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
                    throw new ProtocolException("malformed status line: " + statusLine);
                }
                int status;
                try {
                    status = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("malformed status line: " + statusLine);
                }
                Headers headers = Headers.read(upIn);

                if (status >= 100 && status < 200) {
                    if (status == 101) throw new ProtocolException("protocol upgrades are not supported");
                    if (status != 100) { // 100 was answered (or not asked for) by the proxy itself
                        writeHead(out, statusLine, headers);
                        out.flush();
                    }
                    continue;
                }

                writeHead(out, statusLine, headers);
                boolean keepAlive = parts[0].equals("HTTP/1.0") ? headers.hasToken("Connection", "keep-alive")
                        : !headers.hasToken("Connection", "close");
                if (method.equals("HEAD") || status == 204 || status == 304) {
                    // no body
                } else if (headers.has("Transfer-Encoding")) {
                    if (headers.chunked()) {
                        copyChunked(upIn, out);
                    } else {
                        copyUntilEof(upIn, out);
                        keepAlive = false;
                    }
                } else {
                    long length = headers.contentLength();
                    if (length >= 0) {
                        copyFixed(upIn, out, length);
                    } else {
                        copyUntilEof(upIn, out);
                        keepAlive = false;
                    }
                }
                out.flush();
                if (!keepAlive) closeUpstream();
                return keepAlive;
            }
        }

        private void inject(Fault fault, String method, OutputStream out) throws IOException {
            if (fault == Fault.SLOW_DOWN || fault == Fault.RESPONSE) {
                FaultResponse r = fault == Fault.SLOW_DOWN
                        ? new FaultResponse(503, "Slow Down", Map.of("Content-Type", "application/xml"), SLOW_DOWN_BODY)
                        : faultResponse;
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " " + r.reason() + "\r\n");
                r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
                out.write(ascii(head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n"));
                if (!method.equals("HEAD")) out.write(body);
                out.flush();
                client.shutdownOutput();
                client.close();
            } else {
                client.setSoLinger(true, 0);
                client.close(); // RST, no response
            }
        }

        private void ensureUpstream() throws IOException {
            if (upstream != null && !upstreamStillOpen()) closeUpstream();
            if (upstream != null) return;
            Socket socket = new Socket();
            sockets.add(socket);
            if (closing) {
                sockets.remove(socket);
                throw new IOException("proxy closed");
            }
            upstream = socket;
            socket.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            socket.setTcpNoDelay(true);
            upIn = new BufferedInputStream(socket.getInputStream(), BUFFER_SIZE);
            upOut = new BufferedOutputStream(socket.getOutputStream(), BUFFER_SIZE);
        }

        /** A kept upstream connection may have been closed by the server while idle: look before reusing it. */
        private boolean upstreamStillOpen() {
            try {
                if (upIn.available() > 0) return false; // bytes nobody asked for: do not trust this connection
                upstream.setSoTimeout(1);
                try {
                    upIn.read(); // end of stream, or a byte nobody asked for: either way not reusable
                    return false;
                } catch (SocketTimeoutException quiet) {
                    return true;
                } finally {
                    upstream.setSoTimeout(0);
                }
            } catch (IOException e) {
                return false;
            }
        }

        private void closeUpstream() {
            if (upstream == null) return;
            closeQuietly(upstream);
            sockets.remove(upstream);
            upstream = null;
            upIn = null;
            upOut = null;
        }

        /** Copies (or, with out == null, drains) a request body. */
        private void copyBody(InputStream in, OutputStream out, boolean chunked, long length) throws IOException {
            if (chunked) copyChunked(in, out);
            else copyFixed(in, out, length);
        }

        private void copyFixed(InputStream in, OutputStream out, long length) throws IOException {
            long remaining = length;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(remaining, buffer.length));
                if (n < 0) throw new EOFException("body ended " + remaining + " bytes early");
                remaining -= n;
                if (out != null) {
                    out.write(buffer, 0, n);
                    if (remaining > 0) flushIfIdle(in, out);
                }
            }
        }

        private void copyUntilEof(InputStream in, OutputStream out) throws IOException {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                flushIfIdle(in, out);
            }
        }

        /** Passes on what has arrived when nothing more is waiting, so a slow sender is not held back. */
        private void flushIfIdle(InputStream in, OutputStream out) throws IOException {
            if (in.available() == 0) out.flush();
        }

        /** Copies a chunked body as chunked: chunk lines as they are, then the trailers and the final blank line. */
        private void copyChunked(InputStream in, OutputStream out) throws IOException {
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) throw new EOFException("chunked body ended early");
                long size = chunkSize(sizeLine);
                writeLine(out, sizeLine);
                if (size == 0) break;
                copyFixed(in, out, size);
                String end = readLine(in);
                if (end == null || !end.isEmpty()) throw new ProtocolException("chunk not followed by CRLF");
                writeLine(out, "");
            }
            for (int lines = 0; ; lines++) {
                if (lines > MAX_HEADER_LINES) throw new ProtocolException("too many trailer lines");
                String trailer = readLine(in);
                if (trailer == null) throw new EOFException("chunked body ended inside the trailers");
                writeLine(out, trailer);
                if (trailer.isEmpty()) return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP/1.1 syntax

    /** The header lines of one message, as received (without their CRLF). */
    private static final class Headers {
        final List<String> lines;

        private Headers(List<String> lines) {
            this.lines = lines;
        }

        static Headers read(InputStream in) throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) throw new EOFException("message ended inside its header");
                if (line.isEmpty()) return new Headers(lines);
                if (lines.size() >= MAX_HEADER_LINES) throw new ProtocolException("too many header lines");
                int colon = line.indexOf(':');
                if (colon <= 0 || !isToken(line.substring(0, colon))) {
                    throw new ProtocolException("malformed header line: " + line);
                }
                lines.add(line);
            }
        }

        static String name(String line) {
            return line.substring(0, line.indexOf(':'));
        }

        boolean has(String name) {
            return !values(name).isEmpty();
        }

        List<String> values(String name) {
            List<String> values = new ArrayList<>(2);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) values.add(line.substring(colon + 1).trim());
            }
            return values;
        }

        /** The comma-separated elements of all the values of a header, trimmed and lower case. */
        List<String> tokens(String name) {
            List<String> tokens = new ArrayList<>(2);
            for (String value : values(name)) {
                for (String element : value.split(",")) {
                    String token = element.trim().toLowerCase(Locale.ROOT);
                    if (!token.isEmpty()) tokens.add(token);
                }
            }
            return tokens;
        }

        boolean hasToken(String name, String token) {
            return tokens(name).contains(token);
        }

        /** Whether the last transfer coding is chunked. */
        boolean chunked() {
            List<String> codings = tokens("Transfer-Encoding");
            return !codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked");
        }

        /** The Content-Length, or -1 without one; differing or malformed values are a protocol error. */
        long contentLength() throws ProtocolException {
            long length = -1;
            for (String value : values("Content-Length")) {
                for (String element : value.split(",")) { // "n, n" is tolerated by RFC 9110 8.6
                    String digits = element.trim();
                    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new ProtocolException("malformed Content-Length: " + value);
                    }
                    long parsed = Long.parseLong(digits);
                    if (length >= 0 && parsed != length) throw new ProtocolException("conflicting Content-Length");
                    length = parsed;
                }
            }
            return length;
        }
    }

    private static long chunkSize(String line) throws ProtocolException {
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        if (hex.isEmpty() || hex.length() > 15) throw new ProtocolException("malformed chunk size: " + line);
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) throw new ProtocolException("malformed chunk size: " + line);
        }
        return Long.parseLong(hex, 16);
    }

    /** One line without its line end (CRLF, or a bare LF); null if the stream ends before the line starts. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) return null;
                throw new EOFException("stream ended inside a line");
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') line.setLength(length - 1);
                return line.toString();
            }
            if (line.length() >= MAX_LINE) throw new ProtocolException("line too long");
            line.append((char) b);
        }
    }

    private static void writeLine(OutputStream out, String line) throws IOException {
        if (out == null) return;
        out.write(ascii(line));
        out.write(CRLF);
    }

    private static void writeHead(OutputStream out, String startLine, Headers headers) throws IOException {
        StringBuilder head = new StringBuilder(256).append(startLine).append("\r\n");
        for (String line : headers.lines) head.append(line).append("\r\n");
        head.append("\r\n");
        out.write(ascii(head.toString()));
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return !s.isEmpty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void checkRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("fault rate must be in [0, 1]: " + rate);
    }

    private static void join(Thread thread, long deadlineNanos) {
        if (thread == Thread.currentThread()) return;
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (millis <= 0) return;
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}

package io.jwren.testing.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP endpoint that answers the Lambda Invoke path
 * ({@code POST /2015-03-31/functions/{name}/invocations}) with whatever status its {@link Responder}
 * chooses: 202 to accept an Event invoke, 429 to throttle it, any other to fail it. It runs nothing: it
 * is a sink for measuring how fast a client issues invokes, and for tests that control each answer.
 */
public final class LoopbackInvokeSink implements AutoCloseable {
    static final String PATH = "/2015-03-31/functions/";

    /** Chooses the answer to one invoke. Called on the sink's threads. */
    @FunctionalInterface
    public interface Responder {
        /** @return the HTTP status: 202 accepts, 429 throttles, anything else fails */
        int respond(String function, byte[] payload);
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong requests = new AtomicLong();

    private LoopbackInvokeSink(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** A sink that accepts every invoke at once. */
    public static LoopbackInvokeSink accepting() throws IOException {
        return start((function, payload) -> 202, 4);
    }

    public static LoopbackInvokeSink start(Responder responder, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jwren-invoke-sink");
            t.setDaemon(true);
            return t;
        });
        LoopbackInvokeSink sink = new LoopbackInvokeSink(server, pool);
        server.createContext(PATH, exchange -> sink.handle(exchange, responder));
        server.setExecutor(pool);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange, Responder responder) throws IOException {
        try (exchange) {
            byte[] payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = in.readAllBytes();
            }
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/invocations")) {
                reply(exchange, 404, "ResourceNotFoundException", "no such path " + path);
                return;
            }
            String function = path.substring(PATH.length(), path.length() - "/invocations".length());
            int status = responder.respond(function, payload);
            switch (status) {
                case 202 -> {
                    exchange.getResponseHeaders().add("x-amzn-RequestId", Long.toHexString(requests.get()));
                    exchange.sendResponseHeaders(202, -1);
                }
                case 429 -> reply(exchange, 429, "TooManyRequestsException", "Rate Exceeded.");
                case 404 -> reply(exchange, 404, "ResourceNotFoundException", "Function not found: " + function);
                default -> reply(exchange, status, "ServiceException", "sink answered " + status);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"Type\":\"" + (status >= 500 ? "Service" : "User") + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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
 * is a sink for measuring how fast a client issues invokes, and for tests that control each answer. A
 * {@link Replier} answers synchronous (RequestResponse) invokes too, with the function's answer as Lambda sends
 * it: 200, the payload, and {@code X-Amz-Function-Error} when the function failed.
 */
public final class LoopbackInvokeSink implements AutoCloseable {
    static final String PATH = "/2015-03-31/functions/";

    /** Chooses the answer to one invoke. Called on the sink's threads. */
    @FunctionalInterface
    public interface Responder {
        /** @return the HTTP status: 202 accepts, 429 throttles, anything else fails */
        int respond(String function, byte[] payload);
    }

    /** Chooses the whole answer to one invoke, knowing its type. Called on the sink's threads. */
    @FunctionalInterface
    public interface Replier {
        /**
         * @param invocationType {@code RequestResponse} (also when the request names none) or {@code Event}
         * @return the answer: {@link Reply#answer} for a synchronous invoke the function ran, or a bare status
         */
        Reply reply(String function, String invocationType, byte[] payload);
    }

    /**
     * One answer.
     *
     * @param status        HTTP status: 200 with the function's payload, 202 accepts an Event, 429 throttles, ...
     * @param body          the function's answer (200), or null
     * @param functionError {@code Unhandled} when the function failed (its error is then the body), or null
     */
    public record Reply(int status, byte[] body, String functionError) {
        public static Reply status(int status) {
            return new Reply(status, null, null);
        }

        /** The function ran and answered {@code body}. */
        public static Reply answer(byte[] body) {
            return new Reply(200, body, null);
        }

        /** The function failed (it threw, or timed out): Lambda's 200 with the error as the payload. */
        public static Reply functionError(String type, String message) {
            String json = "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\"", "'") + "\"}";
            return new Reply(200, json.getBytes(StandardCharsets.UTF_8), "Unhandled");
        }
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
        return start((Replier) (function, type, payload) -> Reply.status(responder.respond(function, payload)), threads);
    }

    public static LoopbackInvokeSink start(Replier replier, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jwren-invoke-sink");
            t.setDaemon(true);
            return t;
        });
        LoopbackInvokeSink sink = new LoopbackInvokeSink(server, pool);
        server.createContext(PATH, exchange -> sink.handle(exchange, replier));
        server.setExecutor(pool);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange, Replier replier) throws IOException {
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
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            Reply reply = replier.reply(function, type == null ? "RequestResponse" : type, payload);
            int status = reply.status();
            switch (status) {
                case 200 -> {
                    byte[] body = reply.body() == null ? new byte[0] : reply.body();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
                    if (reply.functionError() != null) exchange.getResponseHeaders().add("X-Amz-Function-Error", reply.functionError());
                    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    if (body.length > 0) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                }
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

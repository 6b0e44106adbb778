package io.jwren.consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers the three Lambda control-plane calls a first deploy makes (GetFunction: not found, CreateFunction,
 * GetFunction for the Active waiter) and keeps the code each CreateFunction carried. Only to see which jar a
 * deploy sends; what AWS does with it is another test's business.
 */
final class DeployRecorder implements AutoCloseable {
    private static final Pattern FUNCTION = Pattern.compile("/2015-03-31/functions/([^/?]+)(?:/.*)?");
    private static final Pattern ZIP_FILE = Pattern.compile("\"ZipFile\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\"FunctionName\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final Map<String, byte[]> created = new ConcurrentHashMap<>();

    DeployRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2015-03-31/functions", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The jar CreateFunction carried for a function, or null. */
    byte[] code(String function) {
        return created.get(function);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (x.getRequestMethod().equals("POST") && path.equals("/2015-03-31/functions")) {
            Matcher zip = ZIP_FILE.matcher(body);
            Matcher name = NAME.matcher(body);
            if (!zip.find() || !name.find()) {
                send(x, 400, "InvalidParameterValueException", "{\"message\":\"no FunctionName or Code.ZipFile\"}");
                return;
            }
            created.put(name.group(1), Base64.getDecoder().decode(zip.group(1).replace("\\/", "/")));
            send(x, 201, null, configuration(name.group(1)));
            return;
        }
        Matcher fn = FUNCTION.matcher(path);
        if (x.getRequestMethod().equals("GET") && fn.matches()) {
            if (created.containsKey(fn.group(1))) {
                send(x, 200, null, "{\"Configuration\":" + configuration(fn.group(1)) + "}");
            } else {
                send(x, 404, "ResourceNotFoundException", "{\"Type\":\"User\",\"message\":\"Function not found: " + fn.group(1) + "\"}");
            }
            return;
        }
        send(x, 400, "InvalidRequestContentException", "{\"message\":\"not expected here: " + x.getRequestMethod() + " " + path + "\"}");
    }

    private static String configuration(String function) {
        return "{\"FunctionName\":\"" + function + "\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:"
                + function + "\",\"State\":\"Active\",\"LastUpdateStatus\":\"Successful\"}";
    }

    private static void send(HttpExchange x, int status, String errorType, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (errorType != null) x.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The upstream of the gateway benchmark: an OpenAI-compatible chat endpoint on loopback that answers at once with a
 * fixed completion, or with a fixed stream (role chunk, five content chunks, finish, usage, [DONE]) for
 * "stream":true. It does no work, so what a call through Freeway costs more than a direct call is Freeway's.
 *
 * <p>Run: {@code java StubUpstream.java [port]} (0 or none: a free port); prints "listening on PORT".
 */
public final class StubUpstream {

    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion\","
            + "\"created\":1764000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Hello! This is a fixed answer from the benchmark stub.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":16,\"completion_tokens\":12,"
            + "\"total_tokens\":28}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM = stream().getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        // Headers and body go out in two writes; with Nagle's algorithm on, the body waits for a delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.createContext("/v1/chat/completions", StubUpstream::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        boolean stream = new String(request, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
        exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
        byte[] body = stream ? STREAM : COMPLETION;
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String stream() {
        String head = "{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"bench-model\",\"choices\":";
        StringBuilder sse = new StringBuilder();
        sse.append(event(head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}"));
        for (String piece : new String[]{"Hello! ", "This is ", "a fixed ", "streamed ", "answer."}) {
            sse.append(event(head + "[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}"));
        }
        sse.append(event(head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        sse.append(event(head + "[],\"usage\":{\"prompt_tokens\":16,\"completion_tokens\":12,\"total_tokens\":28}}"));
        sse.append(event("[DONE]"));
        return sse.toString();
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }
}

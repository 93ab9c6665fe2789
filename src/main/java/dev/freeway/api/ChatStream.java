package dev.freeway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freeway.provider.Usage;
import dev.freeway.routing.StreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chat completions' stream: chunks pass on as the provider sent them, {@code data: [DONE]} only when the provider
 * finished, and an OpenAI-shaped error event (the provider's own, when it sent one) when it did not.
 */
final class ChatStream implements StreamWriter {

    static final ChatStream WRITER = new ChatStream();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private ChatStream() {
    }

    @Override
    public void chunk(String payload, JsonNode chunk, OutputStream out) throws IOException {
        write(out, ("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void done(Usage usage, OutputStream out) throws IOException {
        write(out, DONE);
    }

    @Override
    public void failed(StreamFailure failure, OutputStream out) throws IOException {
        String event = failure.upstreamEvent() != null ? failure.upstreamEvent() : error(failure);
        write(out, ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String error(StreamFailure failure) throws JsonProcessingException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", failure.message());
        error.put("type", "server_error");
        error.put("param", null);
        error.put("code", failure.code());
        return JSON.writeValueAsString(Map.of("error", error));
    }

    private static void write(OutputStream out, byte[] event) throws IOException {
        out.write(event);
        out.flush();
    }
}

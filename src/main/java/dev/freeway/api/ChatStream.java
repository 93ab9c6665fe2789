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
    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private ChatStream() {
    }

    @Override
    public void chunk(String payload, JsonNode chunk, OutputStream out) throws IOException {
        write(out, event(payload));
    }

    @Override
    public void done(Usage usage, OutputStream out) throws IOException {
        write(out, DONE);
    }

    @Override
    public void failed(StreamFailure failure, OutputStream out) throws IOException {
        String event = failure.upstreamEvent() != null ? failure.upstreamEvent() : error(failure);
        write(out, event(event));
    }

    /** {@code data: <payload>} and its blank line as one array: every chunk of every stream is written here. */
    private static byte[] event(String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        byte[] event = new byte[PREFIX.length + data.length + 2];
        System.arraycopy(PREFIX, 0, event, 0, PREFIX.length);
        System.arraycopy(data, 0, event, PREFIX.length, data.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        return event;
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

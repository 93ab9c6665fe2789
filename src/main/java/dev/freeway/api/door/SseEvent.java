package dev.freeway.api.door;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event a front door writes. Responses and Anthropic Messages name every event
 * ({@code event: <name>\ndata: <json>\n\n}); chat and legacy completions send bare {@code data:} lines and end with
 * {@code data: [DONE]}.
 *
 * @param name the event name, or null for a bare data event
 * @param data the JSON payload; the text {@code [DONE]} for the end marker
 */
public record SseEvent(String name, JsonNode data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The legacy end marker: only a stream the provider finished may end with it. */
    public static final SseEvent DONE = new SseEvent(null, TextNode.valueOf("[DONE]"));

    public static SseEvent named(String name, JsonNode data) {
        return new SseEvent(name, data);
    }

    public static SseEvent data(JsonNode data) {
        return new SseEvent(null, data);
    }

    /** The bytes on the wire. JSON never holds a raw newline, so one data line always suffices. */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    public String text() {
        String payload = this == DONE || (data.isTextual() && name == null) ? data.asText() : write(data);
        return (name == null ? "" : "event: " + name + "\n") + "data: " + payload + "\n\n";
    }

    private static String write(JsonNode data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (Exception e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}

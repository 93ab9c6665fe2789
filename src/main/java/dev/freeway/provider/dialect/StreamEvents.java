package dev.freeway.provider.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells an error event from a chunk in a server-sent event stream. Providers that fail after the first byte
 * (OpenRouter, DashScope moderation) send {@code data: {"error":{...}}} under HTTP 200; such a payload must be
 * classified, not forwarded as content.
 */
public final class StreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamEvents() {
    }

    /** Whether the payload is an error event. Accepts the payload alone or the whole {@code data:} line. */
    public static boolean isErrorEvent(String payload) {
        return isError(parse(payload));
    }

    /** Whether an event's JSON (as {@link #parse} reads it; null for none) is an error event. */
    static boolean isError(JsonNode event) {
        if (event == null || !event.isObject()) {
            return false;
        }
        JsonNode error = event.get("error");
        if (error != null && (error.isObject() || error.isTextual() && !error.asText().isBlank())) {
            return true;
        }
        return "error".equals(ErrorEnvelope.text(event.get("object")))
                || "error".equals(ErrorEnvelope.text(event.get("type")));
    }

    /** The payload without its {@code data:} prefix and surrounding blanks; null for a null line. */
    public static String payload(String line) {
        if (line == null) {
            return null;
        }
        String text = line.strip();
        return text.startsWith("data:") ? text.substring("data:".length()).strip() : text;
    }

    /** The payload's JSON, or null when it is blank, {@code [DONE]}, or not JSON. */
    static JsonNode parse(String line) {
        String text = payload(line);
        if (text == null || text.isEmpty() || text.charAt(0) != '{' && text.charAt(0) != '[') {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isArray() && node.size() > 0 ? node.get(0) : node;
        } catch (Exception notJson) {
            return null;
        }
    }
}

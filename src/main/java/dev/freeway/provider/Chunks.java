package dev.freeway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading OpenAI-shaped completion bodies and stream chunks. */
public final class Chunks {

    public static final String DONE = "[DONE]";
    static final ObjectMapper JSON = new ObjectMapper();

    private Chunks() {
    }

    /** Parses a body or chunk; null when it is not JSON. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank() || DONE.equals(text.trim())) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** Usage from a completion body or a stream chunk; null when it carries none. */
    public static Usage usage(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode usage = node.get("usage");
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
    }

    /** The extra chunk {@code include_usage} adds: usage and no choices. */
    public static boolean isUsageOnly(JsonNode chunk) {
        return chunk != null && chunk.hasNonNull("usage")
                && (!chunk.has("choices") || chunk.get("choices").isEmpty());
    }

    /** An error object sent as an SSE event after the provider already answered 200. */
    public static boolean isError(JsonNode chunk, String eventType) {
        return chunk != null && (chunk.has("error") || "error".equals(eventType))
                && !chunk.has("choices");
    }
}

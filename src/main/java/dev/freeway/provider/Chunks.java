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
        return Usage.read(node.get("usage"));
    }

    /** The extra chunk {@code include_usage} adds: usage and no choices. */
    public static boolean isUsageOnly(JsonNode chunk) {
        return chunk != null && chunk.hasNonNull("usage")
                && (!chunk.has("choices") || chunk.get("choices").isEmpty());
    }

    /**
     * The generated text a completion body or a stream chunk carries (content, reasoning, tool-call names and
     * arguments), so Freeway can count the output itself when the provider reports no usage.
     */
    public static String text(JsonNode node) {
        if (node == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : node.path("choices")) {
            JsonNode part = choice.has("delta") ? choice.get("delta") : choice.path("message");
            append(text, part.get("content"));
            append(text, part.get("reasoning_content"));
            append(text, part.get("reasoning"));
            for (JsonNode call : part.path("tool_calls")) {
                append(text, call.path("function").get("name"));
                append(text, call.path("function").get("arguments"));
            }
            append(text, choice.get("text")); // legacy completions
        }
        return text.toString();
    }

    private static void append(StringBuilder text, JsonNode value) {
        if (value != null && value.isTextual()) {
            text.append(value.asText());
        }
    }
}

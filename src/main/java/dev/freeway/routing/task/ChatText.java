package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The words of a chat request that say what it asks for: the last user message (a conversation's last question is
 * what the next model must answer; earlier turns are left out), the system and developer prompts, and the names and
 * descriptions of a {@code json_schema} response format.
 *
 * @param user   the last user message's text, its text parts joined by new lines; empty when it has none
 * @param system the system and developer prompts joined by new lines; empty when there are none
 * @param schema the response schema's field names, titles and descriptions; empty without a schema
 * @param image  whether the last user message carries an image
 */
public record ChatText(String user, String system, String schema, boolean image) {

    private static final Set<String> DESCRIPTIVE_KEYS = Set.of("name", "title", "description");
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "schema", "properties", "items", "required",
            "strict", "additionalProperties", "enum", "const", "format", "pattern", "anyOf", "oneOf", "allOf", "$defs",
            "definitions", "$ref", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "default");
    /** Enough schema words to see its topic; a huge schema is not read to the end. */
    private static final int SCHEMA_CHARS = 4_000;

    /** Reads an OpenAI chat completion request; a missing or odd field reads as empty. */
    public static ChatText of(JsonNode request) {
        JsonNode messages = request.path("messages");
        int last = -1;
        for (int i = messages.size() - 1; i >= 0 && messages.isArray(); i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                last = i;
                break;
            }
        }
        if (last < 0 && messages.isArray() && !messages.isEmpty()) {
            last = messages.size() - 1;
        }
        StringBuilder system = new StringBuilder();
        for (int i = 0; i < messages.size() && messages.isArray(); i++) {
            String role = messages.get(i).path("role").asText();
            if (i != last && ("system".equals(role) || "developer".equals(role))) {
                append(system, text(messages.get(i).path("content")));
            }
        }
        JsonNode content = last < 0 ? MissingNode.getInstance() : messages.get(last).path("content");
        return new ChatText(text(content), system.toString(), schema(request.path("response_format")),
                hasImage(content));
    }

    /** A string content, or its text parts joined by new lines. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode partText = part.path("text");
            if (partText.isTextual()) {
                append(text, partText.asText());
            }
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String more) {
        if (!more.isEmpty()) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(more);
        }
    }

    private static boolean hasImage(JsonNode content) {
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (type.startsWith("image") || type.equals("input_image")) {
                return true;
            }
        }
        return false;
    }

    private static String schema(JsonNode responseFormat) {
        if (!"json_schema".equals(responseFormat.path("type").asText())) {
            return "";
        }
        StringBuilder words = new StringBuilder();
        collectWords(responseFormat.path("json_schema"), words, 0);
        return words.toString();
    }

    /** Field names, titles and descriptions; JSON Schema's own words (type, string, properties) are not the topic. */
    private static void collectWords(JsonNode node, StringBuilder words, int depth) {
        if (depth > 16 || words.length() > SCHEMA_CHARS) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (DESCRIPTIVE_KEYS.contains(key)) {
                    words.append(value.asText().replace('_', ' ')).append(' ');
                } else if (!SCHEMA_KEYWORDS.contains(key)) {
                    words.append(key.replace('_', ' ')).append(' ');
                }
                collectWords(value, words, depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectWords(item, words, depth + 1);
            }
        }
    }
}

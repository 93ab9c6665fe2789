package dev.freeway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a chat request before anything reaches a provider or the quota store, with OpenAI's wording and the
 * {@code param} that is wrong. Fields it does not know pass through unchecked.
 */
public final class ChatRequestValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private static final Map<String, FieldType> TYPES = Map.ofEntries(
            Map.entry("stream", new FieldType("a boolean", JsonNode::isBoolean)),
            Map.entry("temperature", new FieldType("a number", JsonNode::isNumber)),
            Map.entry("top_p", new FieldType("a number", JsonNode::isNumber)),
            Map.entry("presence_penalty", new FieldType("a number", JsonNode::isNumber)),
            Map.entry("frequency_penalty", new FieldType("a number", JsonNode::isNumber)),
            Map.entry("max_tokens", new FieldType("an integer of at least 1", n -> n.canConvertToLong() && n.isIntegralNumber() && n.asLong() >= 1)),
            Map.entry("max_completion_tokens", new FieldType("an integer of at least 1", n -> n.isIntegralNumber() && n.asLong() >= 1)),
            Map.entry("n", new FieldType("an integer of at least 1", n -> n.isIntegralNumber() && n.asLong() >= 1)),
            Map.entry("seed", new FieldType("an integer", JsonNode::isIntegralNumber)),
            Map.entry("user", new FieldType("a string", JsonNode::isTextual)),
            Map.entry("stop", new FieldType("a string or an array of strings", ChatRequestValidator::isStop)),
            Map.entry("tools", new FieldType("an array of tool objects", ChatRequestValidator::isObjectArray)),
            Map.entry("tool_choice", new FieldType("a string or an object", n -> n.isTextual() || n.isObject())),
            Map.entry("response_format", new FieldType("an object with a type", n -> n.isObject() && n.path("type").isTextual())),
            Map.entry("stream_options", new FieldType("an object", JsonNode::isObject)),
            Map.entry("logit_bias", new FieldType("an object", JsonNode::isObject)),
            Map.entry("metadata", new FieldType("an object", JsonNode::isObject)));

    private ChatRequestValidator() {
    }

    static ObjectNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiError.invalid(null, "The request body is empty; send a JSON object with model and messages.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "The request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        }
        if (!(root instanceof ObjectNode request)) {
            throw ApiError.invalid(null, "The request body must be a JSON object.");
        }
        validate(request);
        return request;
    }

    /**
     * Checks a chat request another front door translated, exactly as a client's own chat request is checked; returns
     * it for chaining.
     */
    public static ObjectNode validated(ObjectNode request) {
        validate(request);
        return request;
    }

    private static void validate(ObjectNode request) {
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            throw ApiError.invalid("model", "Missing required parameter: 'model'.");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiError.invalid("model", "Invalid type for 'model': expected a non-empty string.");
        }
        messages(request.get("messages"));
        TYPES.forEach((field, type) -> {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull() && !type.accepts().test(value)) {
                throw ApiError.invalid(field, "Invalid type for '" + field + "': expected " + type.description() + ".");
            }
        });
    }

    private static void messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.invalid("messages", "Missing required parameter: 'messages'.");
        }
        if (!messages.isArray()) {
            throw ApiError.invalid("messages", "Invalid type for 'messages': expected an array of message objects.");
        }
        if (messages.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void message(JsonNode message, String where) {
        if (!message.isObject()) {
            throw ApiError.invalid(where, "Invalid type for '" + where + "': expected an object.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ApiError.invalid(where + ".role", "Invalid value for '" + where + ".role': expected one of "
                    + ROLES + ".");
        }
        JsonNode content = message.get("content");
        boolean hasToolCalls = message.path("tool_calls").isArray();
        if (content == null || content.isNull()) {
            if (!hasToolCalls && !"assistant".equals(role.asText())) {
                throw ApiError.invalid(where + ".content", "Missing required parameter: '" + where + ".content'.");
            }
            return;
        }
        if (content.isTextual()) {
            return;
        }
        if (!content.isArray()) {
            throw ApiError.invalid(where + ".content", "Invalid type for '" + where
                    + ".content': expected a string or an array of content parts.");
        }
        for (int i = 0; i < content.size(); i++) {
            part(content.get(i), where + ".content[" + i + "]");
        }
    }

    private static void part(JsonNode part, String where) {
        String type = part.path("type").asText("");
        if (type.isEmpty()) {
            throw ApiError.invalid(where + ".type", "Missing required parameter: '" + where + ".type'.");
        }
        if ("text".equals(type) && !part.path("text").isTextual()) {
            throw ApiError.invalid(where + ".text", "Invalid type for '" + where + ".text': expected a string.");
        }
        if ("image_url".equals(type) && !part.path("image_url").path("url").isTextual()) {
            throw ApiError.invalid(where + ".image_url.url", "Missing required parameter: '" + where
                    + ".image_url.url'.");
        }
    }

    private static boolean isStop(JsonNode node) {
        if (node.isTextual()) {
            return true;
        }
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isObjectArray(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    private record FieldType(String description, Predicate<JsonNode> accepts) {
    }
}

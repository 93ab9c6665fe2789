package dev.freeway.api;

import dev.freeway.api.door.Fields;
import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a chat request before anything reaches a provider or the quota store, with OpenAI's wording and the
 * {@code param} that is wrong. Parsing is strict: one JSON object and nothing after it, no repeated field (a proxy
 * and a provider could read different values), bounded nesting, numbers and names, and no number too large to be
 * finite. Fields it does not know pass through unchecked.
 */
public final class ChatRequestValidator {

    /** The largest output a request may ask for per choice: any larger cannot be meant, and would overflow sums. */
    static final long MOST_OUTPUT_TOKENS = Integer.MAX_VALUE;
    /** OpenAI's own ceiling for n. */
    static final long MOST_CHOICES = 128;

    private static final ObjectReader JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200).maxNumberLength(100).maxNameLength(1000).build());
    }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private static final Map<String, FieldType> TYPES = Map.ofEntries(
            Map.entry("stream", new FieldType("a boolean", JsonNode::isBoolean)),
            Map.entry("temperature", new FieldType("a number from 0 to 2", n -> inRange(n, 0, 2))),
            Map.entry("top_p", new FieldType("a number from 0 to 1", n -> inRange(n, 0, 1))),
            Map.entry("presence_penalty", new FieldType("a number from -2 to 2", n -> inRange(n, -2, 2))),
            Map.entry("frequency_penalty", new FieldType("a number from -2 to 2", n -> inRange(n, -2, 2))),
            Map.entry("max_tokens", new FieldType("an integer from 1 to " + MOST_OUTPUT_TOKENS,
                    n -> wholeInRange(n, 1, MOST_OUTPUT_TOKENS))),
            Map.entry("max_completion_tokens", new FieldType("an integer from 1 to " + MOST_OUTPUT_TOKENS,
                    n -> wholeInRange(n, 1, MOST_OUTPUT_TOKENS))),
            Map.entry("n", new FieldType("an integer from 1 to " + MOST_CHOICES, n -> wholeInRange(n, 1, MOST_CHOICES))),
            Map.entry("seed", new FieldType("a 64-bit integer", n -> n.isIntegralNumber() && n.canConvertToLong())),
            Map.entry("user", new FieldType("a string", JsonNode::isTextual)),
            Map.entry("stop", new FieldType("a string or an array of strings", ChatRequestValidator::isStop)),
            Map.entry("tools", new FieldType("an array of tool objects", ChatRequestValidator::isObjectArray)),
            Map.entry("tool_choice", new FieldType("a string or an object", n -> n.isTextual() || n.isObject())),
            Map.entry("response_format", new FieldType("an object with a type", n -> n.isObject() && n.path("type").isTextual())),
            // include_usage decides whether the client gets the usage chunk: a value that is not a boolean would
            // silently read as false
            Map.entry("stream_options", new FieldType("an object whose include_usage is a boolean",
                    n -> n.isObject() && (n.path("include_usage").isMissingNode() || n.path("include_usage").isNull()
                            || n.path("include_usage").isBoolean()))),
            Map.entry("logit_bias", new FieldType("an object", JsonNode::isObject)),
            Map.entry("metadata", new FieldType("an object", JsonNode::isObject)));

    private ChatRequestValidator() {
    }

    /** The body as one JSON object, read strictly (see the class), with no number too large to be finite. */
    static ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ApiError.invalid(null, "The request body is empty; send a JSON object.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "The request body is not valid JSON" + where(e.getLocation()) + ": "
                    + brief(e.getOriginalMessage()));
        }
        if (!(root instanceof ObjectNode request)) {
            throw ApiError.invalid(null, "The request body must be a JSON object.");
        }
        finite(request, "");
        return request;
    }

    /**
     * Checks a chat request another front door translated, exactly as a client's own chat request is checked; returns
     * it for chaining.
     */
    public static ObjectNode validated(ObjectNode request) {
        finite(request, "");
        validate(request);
        return request;
    }

    private static void validate(ObjectNode request) {
        Fields.model(request.get("model"));
        messages(request.get("messages"));
        TYPES.forEach((field, type) -> {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull() && !type.accepts().test(value)) {
                throw ApiError.invalid(field, "Invalid value for '" + field + "': expected " + type.description() + ".");
            }
        });
    }

    /** Rejects numbers too large to be finite (1e309), anywhere: they would be sent on as "Infinity". */
    private static void finite(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw ApiError.invalid(path.isEmpty() ? null : path, "Invalid value for '" + path
                    + "': the number is too large to be finite.");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                finite(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                finite(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String brief(String message) {
        String text = message == null ? "malformed" : message.replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static boolean inRange(JsonNode node, double low, double high) {
        return node.isNumber() && Double.isFinite(node.doubleValue()) && node.doubleValue() >= low
                && node.doubleValue() <= high;
    }

    private static boolean wholeInRange(JsonNode node, long low, long high) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= low && node.longValue() <= high;
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

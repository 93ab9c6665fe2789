package dev.freeway.provider.dialect;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error a provider put in a body, read defensively: whatever the body holds, {@link #read} returns an envelope
 * and never throws.
 * <p>
 * Shapes understood: {@code {"error":{...}}} (OpenAI and most others), Gemini's array-wrapped
 * {@code [{"error":{...}}]}, a string-valued {@code error} (Hugging Face), top-level {@code code}/{@code message}
 * (DashScope native), {@code {"object":"error",...}} (Mistral), Cloudflare's {@code {"errors":[{...}]}},
 * {@code {"detail":"..."}}, and bodies that are empty or not JSON at all (HTML gateway pages).
 *
 * @param found    whether the body carried an error (false for an empty body, a success body or plain text)
 * @param json     whether the body was JSON
 * @param message  the provider's message, or for a body that is not JSON its first readable line; may be null
 * @param type     the error type ({@code type}, {@code error_type}); may be null
 * @param code     the provider's code as text: {@code "rate_limit_exceeded"}, {@code "1302"}, {@code "429"}; may be null
 * @param status   Google's status string ({@code RESOURCE_EXHAUSTED}); may be null
 * @param details  Google's {@code details} array; a missing node when absent
 * @param metadata OpenRouter's {@code metadata} object; a missing node when absent
 * @param error    the error object itself, for fields a dialect reads on its own; a missing node when absent
 */
public record ErrorEnvelope(boolean found, boolean json, String message, String type, String code, String status,
                            JsonNode details, JsonNode metadata, JsonNode error) {

    /** Trailing tokens fail the read, so "400 status code (no body)" is text, not the number 400. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNode NONE = MissingNode.getInstance();
    private static final ErrorEnvelope EMPTY = new ErrorEnvelope(false, false, null, null, null, null, NONE, NONE, NONE);
    private static final Pattern HTML_TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final int TEXT_LIMIT = 300;

    /** Reads a body of any shape. Never throws; an empty or unreadable body gives an envelope with nothing found. */
    public static ErrorEnvelope read(String body) {
        if (body == null || body.isBlank()) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception notJson) {
            return plainText(body);
        }
        if (root == null) {
            return EMPTY;
        }
        if (root.isArray()) {
            root = firstObject(root);
        }
        if (root != null && root.isTextual()) {
            return plainText(root.asText());
        }
        if (root == null || !root.isObject()) {
            return new ErrorEnvelope(false, true, null, null, null, null, NONE, NONE, NONE);
        }
        return fromObject(root);
    }

    /** Whether the code equals one of the given codes, ignoring case. */
    public boolean codeIs(String... codes) {
        return matches(code, codes);
    }

    /** Whether the type equals one of the given types, ignoring case. */
    public boolean typeIs(String... types) {
        return matches(type, types);
    }

    /** Whether the message contains the given text, ignoring case. */
    public boolean says(String text) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    /** The code as a number, or -1 when there is none or it is not a whole number. */
    public int numericCode() {
        if (code == null) {
            return -1;
        }
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException notNumeric) {
            return -1;
        }
    }

    /** The first entry of {@code details} whose {@code @type} ends with the given name (Google's rpc types). */
    public JsonNode detail(String typeName) {
        if (details.isArray()) {
            for (JsonNode entry : details) {
                String at = text(entry.get("@type"));
                if (at != null && at.endsWith(typeName)) {
                    return entry;
                }
            }
        }
        return NONE;
    }

    /** A text field of a JSON node, or null when it is absent, null, or a container. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }

    private static ErrorEnvelope fromObject(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            return new ErrorEnvelope(true, true, messageOf(error), firstText(error, "type"),
                    firstText(error, "code"), firstText(error, "status"), orNone(error.get("details")),
                    orNone(error.get("metadata")), error);
        }
        if (error != null && error.isTextual()) {
            return new ErrorEnvelope(true, true, text(error), firstText(root, "error_type", "type"),
                    firstText(root, "code"), null, NONE, NONE, root);
        }
        JsonNode errors = root.get("errors");
        if (errors != null && errors.isArray() && errors.size() > 0) {
            JsonNode first = firstObject(errors);
            if (first != null) {
                return new ErrorEnvelope(true, true, firstText(first, "message"), null, firstText(first, "code"), null,
                        NONE, NONE, first);
            }
        }
        boolean mistralStyle = "error".equalsIgnoreCase(text(root.get("object")));
        boolean nativeStyle = root.hasNonNull("code") && root.hasNonNull("message") && !root.has("choices")
                && !matches(text(root.get("code")), "0", "200", "success", "ok");
        if (mistralStyle || nativeStyle) {
            return new ErrorEnvelope(true, true, messageOf(root), firstText(root, "type"),
                    firstText(root, "code"), null, NONE, NONE, root);
        }
        String detail = text(root.get("detail"));
        if (detail != null) {
            return new ErrorEnvelope(true, true, detail, null, null, null, NONE, NONE, root);
        }
        return new ErrorEnvelope(false, true, null, null, null, null, NONE, NONE, NONE);
    }

    private static ErrorEnvelope plainText(String body) {
        Matcher title = HTML_TITLE.matcher(body);
        String text = title.find() ? title.group(1) : TAG.matcher(body).replaceAll(" ");
        String line = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
        if (line != null && line.length() > TEXT_LIMIT) {
            line = line.substring(0, TEXT_LIMIT);
        }
        return new ErrorEnvelope(false, false, line, null, null, null, NONE, NONE, NONE);
    }

    private static JsonNode firstObject(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isObject()) {
                return element;
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node.get(field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A message is usually text; Mistral's validation errors put an object there, kept as compact JSON. */
    private static String messageOf(JsonNode node) {
        String text = firstText(node, "message", "msg");
        if (text != null) {
            return text;
        }
        JsonNode message = node.get("message");
        return message != null && message.isContainerNode() ? message.toString() : null;
    }

    private static JsonNode orNone(JsonNode node) {
        return node == null || node.isNull() ? NONE : node;
    }

    private static boolean matches(String value, String... candidates) {
        if (value == null) {
            return false;
        }
        for (String candidate : candidates) {
            if (candidate.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }
}

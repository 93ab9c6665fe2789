package dev.freeway.api.door;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;

import java.util.regex.Pattern;

/**
 * Typed reads of a door's request fields. Every mistake is a 400 that names the field by its full path
 * ({@code input[2].content[0].text}) in OpenAI's wording; numbers must be finite and in range, so hostile values
 * (1e400, 2^70, "7") are refused before anything is counted or sent.
 */
public final class Fields {

    /** The longest model id a door takes. */
    private static final int LONGEST_MODEL = 256;
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Fields() {
    }

    /** The value of a field, or null when it is absent or JSON null. */
    public static JsonNode get(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A required non-blank string. */
    public static String text(JsonNode parent, String field, String path) {
        JsonNode value = get(parent, field);
        if (value == null) {
            throw missing(path);
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw wrongType(path, "a non-empty string");
        }
        return value.asText();
    }

    /** An optional string; null when absent. */
    public static String optionalText(JsonNode parent, String field, String path) {
        JsonNode value = get(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(path, "a string");
        }
        return value.asText();
    }

    /** An optional boolean; {@code otherwise} when absent. */
    public static boolean bool(JsonNode parent, String field, String path, boolean otherwise) {
        JsonNode value = get(parent, field);
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw wrongType(path, "a boolean");
        }
        return value.booleanValue();
    }

    /** Copies an optional number within [min, max] to the chat request under the same name (a 400 otherwise). */
    public static void copyNumber(JsonNode request, ObjectNode chat, String field, double min, double max) {
        Double value = number(request, field, field, min, max);
        if (value != null) {
            chat.put(field, value);
        }
    }

    /** A chat message's content as text: a string, or (from a few providers) an array of text parts; null if none. */
    public static String chatText(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText("")));
        return text.toString();
    }

    /** An optional finite number within [min, max]; null when absent. */
    public static Double number(JsonNode parent, String field, String path, double min, double max) {
        JsonNode value = get(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw wrongType(path, "a number");
        }
        double number = value.doubleValue();
        if (number < min || number > max) {
            throw invalid(path, "expected a number from " + plain(min) + " to " + plain(max) + ", got " + value + ".");
        }
        return number;
    }

    /** An optional whole number within [min, max]; null when absent. */
    public static Long integer(JsonNode parent, String field, String path, long min, long max) {
        JsonNode value = get(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(path, "an integer");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw invalid(path, "expected an integer from " + min + " to " + max + ", got " + number + ".");
        }
        return number;
    }

    public static ApiError missing(String path) {
        return ApiError.invalid(path, "Missing required parameter: '" + path + "'.");
    }

    /** A tool's name, as a chat function name must be: 1 to 64 letters, digits, '_' or '-'. */
    public static String functionName(JsonNode parent, String field, String path) {
        String name = text(parent, field, path);
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw invalid(path, "expected 1 to 64 letters, digits, '_' or '-'.");
        }
        return name;
    }

    /**
     * A model id goes into headers, Redis keys, metric tags and upstream bodies: printable, no spaces or control
     * characters, of a bounded length. Every front door checks it so, before anything is counted.
     *
     * @return the id
     */
    public static String model(JsonNode model) {
        if (model == null || model.isNull()) {
            throw ApiError.invalid("model", "Missing required parameter: 'model'.");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiError.invalid("model", "Invalid type for 'model': expected a non-empty string.");
        }
        String id = model.asText();
        if (id.length() > LONGEST_MODEL || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiError.invalid("model", "Invalid value for 'model': expected at most " + LONGEST_MODEL
                    + " printable characters without spaces or control characters.");
        }
        return id;
    }

    public static ApiError wrongType(String path, String expected) {
        return ApiError.invalid(path, "Invalid type for '" + path + "': expected " + expected + ".");
    }

    public static ApiError invalid(String path, String why) {
        return ApiError.invalid(path, "Invalid value for '" + path + "': " + why);
    }

    /** A field or value Freeway cannot carry to a chat-completions provider. */
    public static ApiError unsupported(String path, String why) {
        return ApiError.invalid(path, "Unsupported value for '" + path + "': " + why);
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}

package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freeway.api.error.ApiError;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Freeway's errors (OpenAI-shaped {@link ApiError}s from validation, routing and providers) in Anthropic's shape,
 * with the statuses the Anthropic SDK turns into the right exception: 400 invalid_request_error, 401
 * authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error, 413 request_too_large,
 * 429 rate_limit_error (with retry-after), 529 overloaded_error for an exhausted or overloaded pool (503), and 500
 * api_error for upstream failures (500, 502, 504).
 */
public final class AnthropicErrors {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AnthropicErrors() {
    }

    /**
     * @param error     the error as the OpenAI doors would answer it
     * @param requestId the request's id for the body's {@code request_id}, or null
     */
    public static AnthropicError render(ApiError error, String requestId) {
        int status = status(error.status());
        ObjectNode body = JSON.objectNode().put("type", "error");
        ObjectNode detail = body.putObject("error").put("type", type(status)).put("message", error.getMessage());
        // Freeway's own detail (which candidates were skipped and why) rides along; Anthropic's SDK ignores it.
        error.extra().forEach((field, value) -> detail.set(field, MAPPER.valueToTree(value)));
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        error.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        return new AnthropicError(status, body, headers);
    }

    /** The status Anthropic would answer for an OpenAI-door status. */
    static int status(int openAiStatus) {
        return switch (openAiStatus) {
            case 400, 401, 402, 403, 404, 405, 408, 413, 414, 415, 429 -> openAiStatus;
            case 503, 529 -> 529;
            default -> openAiStatus >= 500 ? 500 : 400;
        };
    }

    /** Anthropic's error type for one of its statuses. */
    static String type(int anthropicStatus) {
        return switch (anthropicStatus) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            case 500 -> "api_error";
            default -> "invalid_request_error";
        };
    }

    /** Anthropic's error type for an OpenAI error type and code, as a stream's error event carries it. */
    public static String typeOf(String openAiType, String code) {
        String type = openAiType == null ? "" : openAiType;
        String reason = code == null ? "" : code;
        if (type.contains("rate_limit") || reason.contains("rate_limit") || type.equals("tokens")
                || type.equals("requests")) {
            return "rate_limit_error";
        }
        if (reason.contains("overloaded") || reason.contains("unavailable") || reason.equals("circuit_open")) {
            return "overloaded_error";
        }
        return switch (type) {
            case "invalid_request_error" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            default -> "api_error";
        };
    }
}

package dev.freeway.api.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error the client sees, in OpenAI's shape {@code {"error":{"message","type","param","code"}}}, with a status an
 * OpenAI SDK maps to the right exception. Extra fields (such as the candidates an exhausted pool skipped) ride
 * alongside. Every error says whether sending the request again can help ({@code x-should-retry}, which the
 * official SDKs obey instead of retrying 429s and 5xx blindly), and when it can, after how long
 * ({@code Retry-After}).
 */
public class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean retryable;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public ApiError(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_request_error", param, message);
    }

    public static ApiError modelNotFound(String message) {
        return new ApiError(404, "invalid_request_error", "model_not_found", "model", message);
    }

    /** Sending the same request again after {@code seconds} may succeed. */
    public ApiError retryAfter(long seconds) {
        this.retryable = true;
        headers.put("Retry-After", String.valueOf(Math.max(1, seconds)));
        return this;
    }

    /** Whether sending the same request again can succeed (the x-should-retry header). */
    public boolean retryable() {
        return retryable;
    }

    public ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ApiError extra(String field, Object value) {
        extra.put(field, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** OpenAI's error type: invalid_request_error, authentication_error, rate_limit_exceeded, ... */
    public String type() {
        return type;
    }

    /** The machine-readable code, or null. */
    public String code() {
        return code;
    }

    /** The request field that is wrong, or null. */
    public String param() {
        return param;
    }

    /** Fields beside message, type, param and code (such as the candidates an exhausted pool skipped). */
    public Map<String, Object> extra() {
        return java.util.Collections.unmodifiableMap(extra);
    }

    /** The response body. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        error.putAll(extra);
        return Map.of("error", error);
    }
}

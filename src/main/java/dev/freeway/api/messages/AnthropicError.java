package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * An error as the Anthropic door answers it.
 *
 * @param status  the HTTP status the Anthropic SDK maps to its exception (529 for overloaded)
 * @param body    {@code {"type":"error","error":{"type","message"}}}
 * @param headers headers to send with it ({@code retry-after} on 429 and 529, rate-limit headers)
 */
public record AnthropicError(int status, ObjectNode body, Map<String, String> headers) {

    public AnthropicError {
        headers = Map.copyOf(headers);
    }
}

package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Anthropic's stop_reason for a chat finish_reason. A chat API says "stop" both for the end of a turn and for a stop
 * sequence; only servers that name the matched sequence (vLLM's {@code stop_reason}) let the two be told apart.
 *
 * @param reason   end_turn, max_tokens, tool_use, stop_sequence or refusal
 * @param sequence the stop sequence that matched, or null
 */
record StopReason(String reason, String sequence) {

    static StopReason of(JsonNode choice, JsonNode request, boolean toolCalls) {
        return of(choice.path("finish_reason").asText(""), choice.get("stop_reason"), request, toolCalls);
    }

    static StopReason of(String finishReason, JsonNode matched, JsonNode request, boolean toolCalls) {
        if (finishReason.equals("length")) {
            // before the tool calls: a call cut off by the limit has arguments that are not whole JSON, and a
            // client that runs tool_use would run it with them
            return new StopReason("max_tokens", null);
        }
        if (toolCalls || finishReason.equals("tool_calls") || finishReason.equals("function_call")) {
            return new StopReason("tool_use", null);
        }
        switch (finishReason) {
            case "content_filter", "sensitive" -> {
                return new StopReason("refusal", null);
            }
            default -> {
                if (matched != null && matched.isTextual()) {
                    for (JsonNode stop : request.path("stop_sequences")) {
                        if (stop.asText().equals(matched.asText())) {
                            return new StopReason("stop_sequence", matched.asText());
                        }
                    }
                }
                return new StopReason("end_turn", null);
            }
        }
    }
}

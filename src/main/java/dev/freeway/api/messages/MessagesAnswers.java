package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;
import dev.freeway.api.door.Ids;
import dev.freeway.provider.Usage;

/**
 * A provider's chat completion as an Anthropic {@code message}: text and tool_use content blocks, a stop_reason
 * (end_turn, max_tokens, tool_use, stop_sequence, refusal) and usage with cached prompt tokens reported as cache
 * reads, as Anthropic counts them.
 */
public final class MessagesAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MessagesAnswers() {
    }

    /**
     * @param chat     the provider's completion body
     * @param request  the client's Messages request (its model and stop_sequences)
     * @param estimate usage to report when the provider reported none
     */
    public static ObjectNode toMessage(JsonNode chat, ObjectNode request, Usage estimate) {
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode answer = start(modelOf(chat, request));
        ArrayNode content = (ArrayNode) answer.get("content");
        String text = Fields.chatText(message.get("content"));
        if (text != null && !text.isEmpty()) {
            content.add(textBlock(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            content.addObject().put("type", "tool_use").put("id", toolUseId(call.path("id").asText(null)))
                    .put("name", function.path("name").asText()).set("input", input(function.get("arguments")));
        }
        StopReason stop = StopReason.of(choice, request, !message.path("tool_calls").isEmpty());
        answer.put("stop_reason", stop.reason());
        answer.set("stop_sequence", stop.sequence() == null ? JSON.nullNode() : JSON.textNode(stop.sequence()));
        answer.set("usage", usage(chat.get("usage"), estimate));
        return answer;
    }

    /** A message with no content yet: the body of a stream's message_start, too. */
    static ObjectNode start(String model) {
        ObjectNode message = JSON.objectNode().put("id", Ids.base62("msg_")).put("type", "message")
                .put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        return message;
    }

    static String modelOf(JsonNode chat, ObjectNode request) {
        String model = chat.path("model").asText("");
        return model.isEmpty() ? request.path("model").asText() : model;
    }

    static ObjectNode textBlock(String text) {
        ObjectNode block = JSON.objectNode().put("type", "text").put("text", text);
        block.putNull("citations");
        return block;
    }

    /** Provider call ids are kept, so the tool_result the client sends back names the same call upstream. */
    static String toolUseId(String fromProvider) {
        return fromProvider == null || fromProvider.isBlank() ? Ids.base62("toolu_") : fromProvider;
    }

    /** Anthropic usage: input excludes cache reads, which are reported on their own. */
    static ObjectNode usage(JsonNode chatUsage, Usage estimate) {
        Usage reported = Usage.read(chatUsage);
        long prompt = (reported == null ? estimate : reported).promptTokens();
        long cached = reported == null ? 0 : Usage.part(chatUsage, "prompt_tokens_details", "cached_tokens", prompt);
        long output = (reported == null ? estimate : reported).completionTokens();
        ObjectNode usage = JSON.objectNode().put("input_tokens", Math.max(0, prompt - cached))
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", cached)
                .put("output_tokens", output);
        usage.putNull("cache_creation");
        usage.putNull("server_tool_use");
        usage.put("service_tier", "standard");
        return usage;
    }

    /**
     * A tool call's arguments as the object Anthropic's {@code input} must be. Arguments that are not a JSON object
     * (a model's malformed output) are kept as text under {@code _raw_arguments}, so nothing is silently lost.
     */
    static JsonNode input(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return JSON.objectNode();
        }
        if (arguments.isObject()) {
            return arguments;
        }
        String text = arguments.asText();
        try {
            JsonNode parsed = text.isBlank() ? JSON.objectNode() : MAPPER.readTree(text);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (Exception e) {
            // falls through: kept as text below
        }
        return JSON.objectNode().put("_raw_arguments", text);
    }
}

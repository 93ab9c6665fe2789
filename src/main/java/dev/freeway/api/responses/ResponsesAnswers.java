package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;
import dev.freeway.provider.Usage;

/**
 * A provider's chat completion as a Responses {@code response}: the assistant's text as a {@code message} item,
 * each tool call as a {@code function_call} item, {@code usage} in input/output tokens, and a response cut short by
 * length or a content filter marked {@code incomplete}.
 */
public final class ResponsesAnswers {

    private ResponsesAnswers() {
    }

    /**
     * @param chat     the provider's completion body
     * @param envelope the response's id and echoed request settings
     * @param estimate usage to report when the provider reported none
     */
    public static ObjectNode toResponse(JsonNode chat, ResponseEnvelope envelope, Usage estimate) {
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        String incomplete = ResponseEnvelope.incompleteReason(choice.path("finish_reason").asText(null));
        String status = incomplete == null ? "completed" : "incomplete";
        ArrayNode output = JsonNodeFactory.instance.arrayNode();
        String text = Fields.chatText(message.get("content"));
        String refusal = message.path("refusal").isTextual() ? message.get("refusal").asText() : null;
        if ((text != null && !text.isEmpty()) || refusal != null) {
            output.add(OutputItems.message(OutputItems.messageId(), status, text, refusal));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            output.add(OutputItems.functionCall(OutputItems.functionCallId(), "completed",
                    OutputItems.callId(call.path("id").asText(null)), function.path("name").asText(),
                    arguments(function.get("arguments"))));
        }
        String model = chat.path("model").asText(envelope.requestedModel());
        return envelope.object(status, model.isEmpty() ? envelope.requestedModel() : model, output,
                ResponseEnvelope.usage(chat.get("usage"), estimate), incomplete, null);
    }

    /** Arguments are a JSON string; a provider that sent an object gets it written as one. */
    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "{}";
        }
        return arguments.isTextual() ? arguments.asText() : arguments.toString();
    }
}

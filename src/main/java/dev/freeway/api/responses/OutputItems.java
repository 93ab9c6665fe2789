package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Ids;

/** The output items a chat answer becomes: an assistant {@code message} and {@code function_call}s. */
final class OutputItems {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OutputItems() {
    }

    static String messageId() {
        return Ids.hex("msg_");
    }

    static String functionCallId() {
        return Ids.hex("fc_");
    }

    /** A message item; its content holds the text part, or a refusal part when the model refused. */
    static ObjectNode message(String id, String status, String text, String refusal) {
        ObjectNode item = JSON.objectNode().put("id", id).put("type", "message").put("status", status)
                .put("role", "assistant");
        var content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        if (refusal != null) {
            content.addObject().put("type", "refusal").put("refusal", refusal);
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = JSON.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
        return JSON.objectNode().put("id", id).put("type", "function_call").put("status", status)
                .put("call_id", callId).put("name", name).put("arguments", arguments);
    }

    /** The call id a provider gave, or a new one when it gave none (some return empty ids). */
    static String callId(String fromProvider) {
        return fromProvider == null || fromProvider.isBlank() ? Ids.hex("call_") : fromProvider;
    }
}

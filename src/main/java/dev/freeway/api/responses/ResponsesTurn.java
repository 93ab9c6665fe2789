package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One Responses request, translated.
 *
 * @param chat     the chat-completions request to route (it passes {@code ChatRequestValidator})
 * @param request  the client's Responses request, whose settings the response object echoes
 * @param history  the conversation items of the previous response, empty without {@code previous_response_id}
 * @param input    this request's input as normalised items
 */
public record ResponsesTurn(ObjectNode chat, ObjectNode request, List<JsonNode> history, List<ObjectNode> input) {

    /** Whether the response is kept for {@code previous_response_id} and GET (the API's default is true). */
    public boolean store() {
        return request.path("store").asBoolean(true);
    }

    public boolean stream() {
        return request.path("stream").asBoolean(false);
    }

    /** The previous response this one continues, or null. */
    public String previousResponseId() {
        JsonNode id = request.get("previous_response_id");
        return id == null || id.isNull() ? null : id.asText();
    }

    /**
     * The conversation to store with {@code response}: earlier items, this input, then the response's output. An
     * item still in progress (a failed stream's message cut short, or a tool call with half its arguments) is left
     * out: a later turn would send it upstream as a finished one, and a half tool call with no result is one a
     * provider refuses.
     */
    public List<JsonNode> conversation(ObjectNode response) {
        List<JsonNode> items = new ArrayList<>(history);
        items.addAll(input);
        response.path("output").forEach(item -> {
            if (!"in_progress".equals(item.path("status").asText())) {
                items.add(item);
            }
        });
        return List.copyOf(items);
    }
}

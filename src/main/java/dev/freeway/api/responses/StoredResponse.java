package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A response as kept for GET /v1/responses/{id} and {@code previous_response_id}.
 *
 * @param id           the response's {@code resp_…} id
 * @param response     the response object as the client received it
 * @param conversation every item of the conversation up to and including this response's output
 */
public record StoredResponse(String id, ObjectNode response, List<JsonNode> conversation) {

    public StoredResponse {
        conversation = List.copyOf(conversation);
    }
}

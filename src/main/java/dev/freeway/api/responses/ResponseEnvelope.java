package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Ids;
import dev.freeway.provider.Usage;

import java.time.Instant;

/**
 * The parts of one Responses {@code response} object that do not depend on the answer: its id, creation time, and the
 * request's settings, which OpenAI echoes (instructions, tools, tool_choice, temperature, metadata, ...). The answer
 * and the stream both build their objects from it, so a streamed and a plain response look alike.
 */
public final class ResponseEnvelope {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String id;
    private final long createdAt;
    private final ObjectNode request;

    private ResponseEnvelope(String id, long createdAt, ObjectNode request) {
        this.id = id;
        this.createdAt = createdAt;
        this.request = request;
    }

    /** A new response to the request, with a fresh {@code resp_…} id. */
    public static ResponseEnvelope of(ObjectNode request, Instant now) {
        return new ResponseEnvelope(Ids.hex("resp_"), now.getEpochSecond(), request);
    }

    public String id() {
        return id;
    }

    /**
     * The response object.
     *
     * @param status     in_progress, completed, incomplete or failed
     * @param model      the model that answered (the requested one until an answer names it)
     * @param output     the output items
     * @param usage      Responses-shaped usage, or null while in progress
     * @param incomplete why the answer stopped early ({@code max_output_tokens}, {@code content_filter}), or null
     * @param error      {@code {code, message}} of a failed response, or null
     */
    ObjectNode object(String status, String model, ArrayNode output, ObjectNode usage, String incomplete,
                      ObjectNode error) {
        ObjectNode response = JSON.objectNode().put("id", id).put("object", "response").put("created_at", createdAt)
                .put("status", status).put("background", false);
        response.set("error", error);
        if (incomplete == null) {
            response.putNull("incomplete_details");
        } else {
            response.putObject("incomplete_details").put("reason", incomplete);
        }
        response.set("instructions", echo("instructions"));
        response.set("max_output_tokens", echo("max_output_tokens"));
        response.putNull("max_tool_calls");
        response.put("model", model);
        response.set("output", output);
        response.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        response.set("previous_response_id", echo("previous_response_id"));
        ObjectNode reasoning = response.putObject("reasoning");
        reasoning.set("effort", request.path("reasoning").path("effort").isTextual()
                ? request.get("reasoning").get("effort") : JSON.nullNode());
        reasoning.putNull("summary");
        response.put("service_tier", "default").put("store", request.path("store").asBoolean(true));
        response.put("temperature", request.path("temperature").isNumber()
                ? request.get("temperature").doubleValue() : 1.0);
        response.set("text", request.path("text").path("format").isObject() ? request.get("text")
                : JSON.objectNode().set("format", JSON.objectNode().put("type", "text")));
        response.set("tool_choice", request.hasNonNull("tool_choice") ? request.get("tool_choice")
                : JSON.textNode("auto"));
        response.set("tools", request.path("tools").isArray() ? request.get("tools") : JSON.arrayNode());
        response.put("top_logprobs", 0);
        response.put("top_p", request.path("top_p").isNumber() ? request.get("top_p").doubleValue() : 1.0);
        response.put("truncation", "disabled");
        response.set("usage", usage);
        response.set("user", echo("user"));
        response.set("metadata", request.path("metadata").isObject() ? request.get("metadata") : JSON.objectNode());
        return response;
    }

    /** The requested model, for objects written before an answer names the model that served. */
    String requestedModel() {
        return request.path("model").asText();
    }

    private JsonNode echo(String field) {
        JsonNode value = request.get(field);
        return value == null ? JSON.nullNode() : value;
    }

    /**
     * Responses usage from a chat {@code usage} object (cached and reasoning tokens kept), or from the estimate when
     * the provider sent none.
     */
    static ObjectNode usage(JsonNode chatUsage, Usage estimate) {
        Usage read = Usage.read(chatUsage);
        boolean reported = read != null;
        Usage used = reported ? read : estimate;
        long input = used.promptTokens();
        long output = used.completionTokens();
        ObjectNode usage = JSON.objectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens",
                reported ? Usage.part(chatUsage, "prompt_tokens_details", "cached_tokens", input) : 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens",
                reported ? Usage.part(chatUsage, "completion_tokens_details", "reasoning_tokens", output) : 0);
        usage.put("total_tokens", input + output);
        return usage;
    }

    /** How a chat finish_reason ends a response: null for a complete answer, else the incomplete reason. */
    static String incompleteReason(String finishReason) {
        if ("length".equals(finishReason)) {
            return "max_output_tokens";
        }
        return "content_filter".equals(finishReason) ? "content_filter" : null;
    }
}

package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * POST /v1/responses in, chat completions out: {@code instructions} and the input items become messages (after the
 * previous response's conversation), function tools become chat tools, {@code text.format} becomes
 * {@code response_format}, {@code max_output_tokens} becomes {@code max_tokens}. What no chat provider can do
 * (built-in tools, background runs, stored prompts) is refused with the field named.
 */
public final class ResponsesRequests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high");
    private static final int METADATA_PAIRS = 16;

    private ResponsesRequests() {
    }

    /**
     * @param request the client's body
     * @param history the stored conversation of {@code previous_response_id} (empty when there is none); the caller
     *                looks it up and answers 404 when it is gone
     */
    public static ResponsesTurn toChat(ObjectNode request, List<JsonNode> history) {
        ObjectNode chat = JSON.objectNode();
        chat.put("model", Fields.text(request, "model", "model"));
        refuseUnsupported(request);
        List<ObjectNode> input = InputItems.normalise(Fields.get(request, "input"));
        ArrayNode messages = chat.putArray("messages");
        String instructions = Fields.optionalText(request, "instructions", "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            messages.addObject().put("role", "system").put("content", instructions);
        }
        List<JsonNode> conversation = new ArrayList<>(history);
        conversation.addAll(input);
        messages.addAll(InputItems.toMessages(conversation));
        if (messages.isEmpty()) {
            throw Fields.invalid("input", "nothing to send: the input holds only reasoning items.");
        }
        ResponsesTools.apply(request, chat);
        format(request, chat);
        sampling(request, chat);
        metadata(request);
        Fields.optionalText(request, "previous_response_id", "previous_response_id");
        Fields.bool(request, "store", "store", true);
        if (Fields.bool(request, "stream", "stream", false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new ResponsesTurn(chat, request, List.copyOf(history), List.copyOf(input));
    }

    private static void refuseUnsupported(ObjectNode request) {
        if (Fields.bool(request, "background", "background", false)) {
            throw Fields.unsupported("background", "background responses are not supported; send the request"
                    + " without background, or stream it.");
        }
        for (String field : List.of("conversation", "prompt")) {
            if (Fields.get(request, field) != null) {
                throw Fields.unsupported(field, "'" + field + "' objects are kept by OpenAI, not by this gateway;"
                        + " send the input (and previous_response_id) instead.");
            }
        }
    }

    private static void format(ObjectNode request, ObjectNode chat) {
        JsonNode text = Fields.get(request, "text");
        if (text == null) {
            return;
        }
        if (!text.isObject()) {
            throw Fields.wrongType("text", "an object");
        }
        JsonNode format = Fields.get(text, "format");
        if (format == null) {
            return;
        }
        if (!format.isObject()) {
            throw Fields.wrongType("text.format", "an object with a type");
        }
        switch (Fields.text(format, "type", "text.format.type")) {
            case "text" -> { }
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> chat.set("response_format", jsonSchema(format));
            default -> throw Fields.invalid("text.format.type", "expected text, json_object or json_schema.");
        }
    }

    private static ObjectNode jsonSchema(JsonNode format) {
        ObjectNode schema = JSON.objectNode().put("name", Fields.text(format, "name", "text.format.name"));
        JsonNode body = Fields.get(format, "schema");
        if (body == null) {
            throw Fields.missing("text.format.schema");
        }
        if (!body.isObject()) {
            throw Fields.wrongType("text.format.schema", "a JSON Schema object");
        }
        schema.set("schema", body);
        String description = Fields.optionalText(format, "description", "text.format.description");
        if (description != null) {
            schema.put("description", description);
        }
        if (Fields.get(format, "strict") != null) {
            schema.put("strict", Fields.bool(format, "strict", "text.format.strict", false));
        }
        ObjectNode responseFormat = JSON.objectNode().put("type", "json_schema");
        responseFormat.set("json_schema", schema);
        return responseFormat;
    }

    private static void sampling(ObjectNode request, ObjectNode chat) {
        Long maxOutput = Fields.integer(request, "max_output_tokens", "max_output_tokens", 1, Integer.MAX_VALUE);
        if (maxOutput != null) {
            chat.put("max_tokens", maxOutput);
        }
        Fields.copyNumber(request, chat, "temperature", 0, 2);
        Fields.copyNumber(request, chat, "top_p", 0, 1);
        String user = Fields.optionalText(request, "user", "user");
        if (user != null) {
            chat.put("user", user);
        }
        JsonNode reasoning = Fields.get(request, "reasoning");
        if (reasoning != null) {
            if (!reasoning.isObject()) {
                throw Fields.wrongType("reasoning", "an object");
            }
            String effort = Fields.optionalText(reasoning, "effort", "reasoning.effort");
            if (effort != null && !EFFORTS.contains(effort)) {
                throw Fields.invalid("reasoning.effort", "expected one of none, minimal, low, medium, high.");
            }
            // Providers whose models cannot reason drop this through their catalog quirks (drop-params).
            if (effort != null) {
                chat.put("reasoning_effort", effort);
            }
        }
    }

    /** Metadata is only echoed in the response: providers are not told about it. */
    private static void metadata(ObjectNode request) {
        JsonNode metadata = Fields.get(request, "metadata");
        if (metadata == null) {
            return;
        }
        if (!metadata.isObject()) {
            throw Fields.wrongType("metadata", "an object of string values");
        }
        if (metadata.size() > METADATA_PAIRS) {
            throw Fields.invalid("metadata", "at most " + METADATA_PAIRS + " key-value pairs are allowed.");
        }
        metadata.fields().forEachRemaining(field -> {
            String path = "metadata." + field.getKey();
            if (field.getKey().length() > 64) {
                throw Fields.invalid("metadata", "keys are at most 64 characters.");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().length() > 512) {
                throw Fields.wrongType(path, "a string of at most 512 characters");
            }
        });
    }
}

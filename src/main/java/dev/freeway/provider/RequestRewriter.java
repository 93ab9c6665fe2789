package dev.freeway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.catalog.RequestQuirks;

import java.util.Map;

/**
 * Turns the client's OpenAI request into the one a provider accepts: the provider's model id, its quirks applied,
 * and usage asked for on streams. Everything else passes through untouched, unknown fields included.
 */
public final class RequestRewriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RequestRewriter() {
    }

    /** A copy of {@code request} for {@code model} at {@code spec}; the client's request is never changed. */
    public static ObjectNode rewrite(ObjectNode request, ProviderSpec spec, String model) {
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        boolean stream = body.path("stream").asBoolean(false);
        RequestQuirks quirks = spec.quirks();
        quirks.dropParams().forEach(body::remove);
        dropMessageFields(body, quirks);
        quirks.forceParams().forEach((field, value) -> {
            if (body.has(field)) {
                body.set(field, toJson(value));
            }
        });
        limitToolChoice(body, quirks);
        limitResponseFormat(body, quirks);
        if (!stream) {
            for (RequestQuirks.ModelParams params : quirks.nonStreaming()) {
                if (model.startsWith(params.modelPrefix())) {
                    params.params().forEach((field, value) -> body.set(field, toJson(value)));
                }
            }
        }
        if (stream && spec.streamUsage()) {
            // Freeway settles quotas from real usage, so it always asks for the final usage chunk.
            ObjectNode options = body.path("stream_options").isObject()
                    ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return body;
    }

    /** Whether the client itself asked for the usage chunk (so Freeway forwards it). */
    public static boolean clientWantsStreamUsage(JsonNode request) {
        return request.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static void dropMessageFields(ObjectNode body, RequestQuirks quirks) {
        if (quirks.dropMessageFields().isEmpty() || !(body.get("messages") instanceof ArrayNode messages)) {
            return;
        }
        for (JsonNode message : messages) {
            if (message instanceof ObjectNode object) {
                quirks.dropMessageFields().forEach(object::remove);
            }
        }
    }

    private static void limitToolChoice(ObjectNode body, RequestQuirks quirks) {
        JsonNode choice = body.get("tool_choice");
        if (choice == null || quirks.toolChoices().isEmpty()) {
            return;
        }
        boolean allowed = choice.isTextual() && quirks.toolChoices().contains(choice.asText());
        if (!allowed) {
            // e.g. Z.AI accepts only "auto": the nearest it can do is let the model choose among the same tools.
            body.put("tool_choice", quirks.toolChoices().iterator().next());
        }
    }

    private static void limitResponseFormat(ObjectNode body, RequestQuirks quirks) {
        JsonNode format = body.get("response_format");
        if (format == null || quirks.responseFormats().isEmpty()) {
            return;
        }
        String type = format.path("type").asText("");
        if (!quirks.responseFormats().contains(type) && quirks.responseFormats().contains("json_object")) {
            body.set("response_format", JSON.objectNode().put("type", "json_object"));
        }
    }

    static JsonNode toJson(Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long) {
            return JSON.numberNode(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return JSON.numberNode(n.doubleValue());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JSON.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        return JSON.textNode(String.valueOf(value));
    }
}

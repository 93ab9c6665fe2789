package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;
import dev.freeway.api.door.DoorStream;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chat-completions stream as the Responses event sequence, numbered from 0: {@code response.created} and
 * {@code response.in_progress}; per item {@code output_item.added}, its deltas ({@code output_text.delta} or
 * {@code function_call_arguments.delta}), its {@code .done} events and {@code output_item.done}; then
 * {@code response.completed} (or {@code response.incomplete} when cut by length), or {@code response.failed} and
 * nothing after it. Text closes when a tool call starts; tool calls stay open until the end, so arguments of several
 * calls may arrive interleaved by index.
 */
public final class ResponsesStream implements DoorStream {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> RESPONSE_ERROR_CODES = Set.of("server_error", "rate_limit_exceeded",
            "invalid_prompt");

    private final ResponseEnvelope envelope;
    private final List<StreamItem> items = new ArrayList<>();
    private final Map<Integer, StreamItem> calls = new LinkedHashMap<>();
    private StreamItem message;
    private int sequence;
    private boolean opened;
    private boolean ended;
    private String model;
    private String finishReason;
    private JsonNode usage;
    private ObjectNode last;

    public ResponsesStream(ResponseEnvelope envelope) {
        this.envelope = envelope;
        this.model = envelope.requestedModel();
    }

    /** The final response object once the stream ended (for the store), or null before. */
    public ObjectNode response() {
        return last;
    }

    @Override
    public List<SseEvent> open() {
        List<ObjectNode> raw = new ArrayList<>();
        if (!opened) {
            opened = true;
            ObjectNode response = envelope.object("in_progress", model, JSON.arrayNode(), null, null, null);
            raw.add(event("response.created").set("response", response));
            raw.add(event("response.in_progress").set("response", response.deepCopy()));
        }
        return wrap(raw);
    }

    @Override
    public List<SseEvent> onChunk(JsonNode chunk) {
        if (ended) {
            return List.of();
        }
        List<SseEvent> events = new ArrayList<>(open());
        if (chunk.path("model").isTextual() && !chunk.get("model").asText().isEmpty()) {
            model = chunk.get("model").asText();
        }
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        List<ObjectNode> raw = new ArrayList<>();
        String text = Fields.chatText(delta.get("content"));
        if (text != null && !text.isEmpty()) {
            text(text, raw);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            toolCall(call, raw);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").asText();
        }
        events.addAll(wrap(raw));
        return events;
    }

    private void text(String text, List<ObjectNode> raw) {
        if (message == null) {
            message = StreamItem.message(items.size());
            items.add(message);
            raw.add(itemEvent("response.output_item.added", message, message.item("in_progress")));
            raw.add(partEvent("response.content_part.added", message, ""));
        }
        message.append(text);
        raw.add(event("response.output_text.delta").put("item_id", message.id).put("output_index", message.index)
                .put("content_index", 0).put("delta", text).set("logprobs", JSON.arrayNode()));
    }

    private void toolCall(JsonNode delta, List<ObjectNode> raw) {
        int index = delta.path("index").asInt(calls.size());
        StreamItem call = calls.get(index);
        if (call == null) {
            closeMessage(raw);
            call = StreamItem.call(items.size(), OutputItems.callId(delta.path("id").asText(null)));
            items.add(call);
            calls.put(index, call);
        }
        JsonNode function = delta.path("function");
        if (call.name == null && function.path("name").isTextual() && !function.get("name").asText().isEmpty()) {
            call.name = function.get("name").asText();
        }
        String piece = function.path("arguments").isTextual() ? function.get("arguments").asText() : "";
        call.append(piece);
        if (!call.announced && call.name != null) {
            announce(call, raw);
        } else if (call.announced && !piece.isEmpty()) {
            raw.add(argumentsDelta(call, piece));
        }
    }

    /** A call is announced once its name is known; arguments that came before it follow as one delta. */
    private void announce(StreamItem call, List<ObjectNode> raw) {
        call.announced = true;
        raw.add(itemEvent("response.output_item.added", call, call.item("in_progress").put("arguments", "")));
        if (call.length() > 0) {
            raw.add(argumentsDelta(call, call.text()));
        }
    }

    private ObjectNode argumentsDelta(StreamItem call, String piece) {
        return event("response.function_call_arguments.delta").put("item_id", call.id)
                .put("output_index", call.index).put("delta", piece);
    }

    private void closeMessage(List<ObjectNode> raw) {
        if (message == null) {
            return;
        }
        raw.add(event("response.output_text.done").put("item_id", message.id).put("output_index", message.index)
                .put("content_index", 0).put("text", message.text()).set("logprobs", JSON.arrayNode()));
        raw.add(partEvent("response.content_part.done", message, message.text()));
        message.status = status();
        raw.add(itemEvent("response.output_item.done", message, message.item(message.status)));
        message = null;
    }

    @Override
    public List<SseEvent> complete(Usage estimate) {
        if (ended) {
            return List.of();
        }
        List<SseEvent> events = new ArrayList<>(open());
        List<ObjectNode> raw = new ArrayList<>();
        closeMessage(raw);
        for (StreamItem call : calls.values()) {
            if (call.name == null) {
                call.name = "";
            }
            if (!call.announced) {
                announce(call, raw);
            }
            raw.add(event("response.function_call_arguments.done").put("item_id", call.id)
                    .put("output_index", call.index).put("name", call.name).put("arguments", call.text()));
            call.status = "completed";
            raw.add(itemEvent("response.output_item.done", call, call.item("completed")));
        }
        String incomplete = ResponseEnvelope.incompleteReason(finishReason);
        last = envelope.object(incomplete == null ? "completed" : "incomplete", model, output(),
                ResponseEnvelope.usage(usage, estimate), incomplete, null);
        raw.add(event(incomplete == null ? "response.completed" : "response.incomplete").set("response", last));
        ended = true;
        events.addAll(wrap(raw));
        return events;
    }

    @Override
    public List<SseEvent> fail(String type, String code, String message) {
        if (ended) {
            return List.of();
        }
        List<SseEvent> events = new ArrayList<>(open());
        ObjectNode error = JSON.objectNode().put("code", errorCode(type, code)).put("message", message);
        last = envelope.object("failed", model, output(), null, null, error);
        ended = true;
        ObjectNode failed = event("response.failed").set("response", last);
        events.addAll(wrap(List.of(failed)));
        return events;
    }

    private static String errorCode(String type, String code) {
        if (code != null && RESPONSE_ERROR_CODES.contains(code)) {
            return code;
        }
        return "rate_limit_exceeded".equals(type) || "rate_limit_error".equals(type) ? "rate_limit_exceeded"
                : "server_error";
    }

    private String status() {
        return ResponseEnvelope.incompleteReason(finishReason) == null ? "completed" : "incomplete";
    }

    private ArrayNode output() {
        ArrayNode output = JSON.arrayNode();
        items.forEach(item -> output.add(item.item(item.status)));
        return output;
    }

    private ObjectNode itemEvent(String type, StreamItem item, ObjectNode body) {
        return event(type).put("output_index", item.index).set("item", body);
    }

    private ObjectNode partEvent(String type, StreamItem item, String text) {
        return event(type).put("item_id", item.id).put("output_index", item.index).put("content_index", 0)
                .set("part", OutputItems.outputText(text));
    }

    /** A new event object; its sequence number is given when it is wrapped, so numbers follow write order. */
    private static ObjectNode event(String type) {
        return JSON.objectNode().put("type", type);
    }

    private List<SseEvent> wrap(List<ObjectNode> raw) {
        List<SseEvent> events = new ArrayList<>(raw.size());
        for (ObjectNode body : raw) {
            ObjectNode numbered = JSON.objectNode().put("type", body.get("type").asText())
                    .put("sequence_number", sequence++);
            body.fields().forEachRemaining(f -> numbered.set(f.getKey(), f.getValue()));
            events.add(SseEvent.named(body.get("type").asText(), numbered));
        }
        return events;
    }
}

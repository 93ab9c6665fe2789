package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;
import dev.freeway.api.door.DoorStream;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat-completions stream as Anthropic's events: {@code message_start} and a {@code ping}; per content block
 * {@code content_block_start}, {@code content_block_delta}s ({@code text_delta}, or {@code input_json_delta} for a
 * tool call's arguments) and {@code content_block_stop}; then {@code message_delta} with the stop_reason and usage,
 * and {@code message_stop}. A failure is one {@code error} event and nothing after it. Blocks are sequential, as
 * Anthropic's are: a new block closes the open one. A tool call's block opens once its name is known.
 */
public final class MessagesStream implements DoorStream {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode request;
    private final long promptEstimate;
    private final Map<Integer, Block> calls = new HashMap<>();
    private Block open;
    private int blocks;
    private boolean opened;
    private boolean ended;
    private boolean sawToolCall;
    private String model;
    private String finishReason;
    private JsonNode matchedStop;
    private JsonNode usage;

    /**
     * @param request        the client's Messages request
     * @param promptEstimate the prompt tokens message_start reports before the provider says
     */
    public MessagesStream(ObjectNode request, long promptEstimate) {
        this.request = request;
        this.promptEstimate = promptEstimate;
        this.model = request.path("model").asText();
    }

    /** Anthropic's keep-alive, for a caller that waits long between chunks. */
    public static SseEvent ping() {
        return event("ping", JSON.objectNode().put("type", "ping"));
    }

    @Override
    public List<SseEvent> open() {
        if (opened) {
            return List.of();
        }
        opened = true;
        ObjectNode message = MessagesAnswers.start(model);
        message.set("usage", MessagesAnswers.usage(null, new Usage(promptEstimate, 0)));
        ObjectNode start = JSON.objectNode().put("type", "message_start");
        start.set("message", message);
        return new ArrayList<>(List.of(event("message_start", start), ping()));
    }

    @Override
    public List<SseEvent> onChunk(JsonNode chunk) {
        if (ended) {
            return List.of();
        }
        List<SseEvent> events = new ArrayList<>(open());
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        String text = Fields.chatText(choice.path("delta").get("content"));
        if (text != null && !text.isEmpty()) {
            if (open == null || open.toolIndex != null) {
                start(new Block(blocks++, null, MessagesAnswers.textBlock("")), events);
            }
            events.add(delta(open.index, JSON.objectNode().put("type", "text_delta").put("text", text)));
        }
        for (JsonNode call : choice.path("delta").path("tool_calls")) {
            toolCall(call, events);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").asText();
            matchedStop = choice.get("stop_reason");
        }
        return events;
    }

    private void toolCall(JsonNode delta, List<SseEvent> events) {
        sawToolCall = true;
        int index = delta.path("index").asInt(calls.size());
        Block call = calls.computeIfAbsent(index, i -> new Block(-1, i, null));
        JsonNode function = delta.path("function");
        if (call.id == null && delta.path("id").isTextual()) {
            call.id = delta.get("id").asText();
        }
        if (call.name == null && function.path("name").isTextual() && !function.get("name").asText().isEmpty()) {
            call.name = function.get("name").asText();
        }
        String piece = function.path("arguments").isTextual() ? function.get("arguments").asText() : "";
        if (call.index < 0) {
            call.pending.append(piece);
            if (call.name != null) {
                openCall(call, events);
            }
        } else {
            arguments(call, piece, events);
        }
    }

    /** Opens a call's tool_use block and sends the arguments that arrived before its name. */
    private void openCall(Block call, List<SseEvent> events) {
        call.index = blocks++;
        ObjectNode block = JSON.objectNode().put("type", "tool_use")
                .put("id", MessagesAnswers.toolUseId(call.id)).put("name", call.name);
        block.putObject("input");
        start(new Block(call.index, call.toolIndex, block), events);
        open = call;
        arguments(call, call.pending.toString(), events);
    }

    private static void arguments(Block call, String piece, List<SseEvent> events) {
        if (!piece.isEmpty()) {
            events.add(delta(call.index, JSON.objectNode().put("type", "input_json_delta").put("partial_json", piece)));
        }
    }

    private void start(Block block, List<SseEvent> events) {
        stop(events);
        ObjectNode start = JSON.objectNode().put("type", "content_block_start").put("index", block.index);
        start.set("content_block", block.content);
        events.add(event("content_block_start", start));
        open = block;
    }

    private void stop(List<SseEvent> events) {
        if (open != null) {
            events.add(event("content_block_stop", JSON.objectNode().put("type", "content_block_stop")
                    .put("index", open.index)));
            open = null;
        }
    }

    @Override
    public List<SseEvent> complete(Usage estimate) {
        if (ended) {
            return List.of();
        }
        ended = true;
        List<SseEvent> events = new ArrayList<>(open());
        for (Block call : calls.values()) {
            if (call.index < 0) { // a call whose name never came: still shown, so the client sees what arrived
                call.name = "";
                openCall(call, events);
            }
        }
        stop(events);
        StopReason stop = StopReason.of(finishReason == null ? "" : finishReason, matchedStop, request, sawToolCall);
        ObjectNode delta = JSON.objectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stop.reason()).set("stop_sequence",
                stop.sequence() == null ? JSON.nullNode() : JSON.textNode(stop.sequence()));
        ObjectNode reported = MessagesAnswers.usage(usage, estimate);
        reported.remove("cache_creation");
        reported.remove("service_tier");
        delta.set("usage", reported);
        events.add(event("message_delta", delta));
        events.add(event("message_stop", JSON.objectNode().put("type", "message_stop")));
        return events;
    }

    @Override
    public List<SseEvent> fail(String type, String code, String message) {
        if (ended) {
            return List.of();
        }
        ended = true;
        List<SseEvent> events = new ArrayList<>(open());
        ObjectNode error = JSON.objectNode().put("type", "error");
        error.putObject("error").put("type", AnthropicErrors.typeOf(type, code)).put("message", message);
        events.add(event("error", error));
        return events;
    }

    private static SseEvent delta(int index, ObjectNode delta) {
        ObjectNode event = JSON.objectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        return event("content_block_delta", event);
    }

    private static SseEvent event(String name, ObjectNode data) {
        return SseEvent.named(name, data);
    }

    /** One content block: text, or a tool call (by its chat index) whose block opens once its name is known. */
    private static final class Block {
        int index;
        final Integer toolIndex;
        final ObjectNode content;
        final StringBuilder pending = new StringBuilder();
        String id;
        String name;

        Block(int index, Integer toolIndex, ObjectNode content) {
            this.index = index;
            this.toolIndex = toolIndex;
            this.content = content;
        }
    }
}

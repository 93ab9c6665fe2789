package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;
import dev.freeway.routing.StreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A door's stream writer that also puts the relayed chunks together into one chat completion, and hands it on only
 * when the provider finished the stream: before the door writes its end, so the answer is kept before the client
 * holds the end. A stream that ends without its end (an error event, truncated, stalled, broken) or that the client
 * leaves is never kept.
 */
final class StreamCollector implements StreamWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final StreamWriter door;
    private final BiConsumer<ObjectNode, List<List<String>>> finished;
    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private JsonNode created;
    private String model;
    private String fingerprint;

    /** @param finished takes the completion and each choice's content pieces; it must not throw */
    StreamCollector(StreamWriter door, BiConsumer<ObjectNode, List<List<String>>> finished) {
        this.door = door;
        this.finished = finished;
    }

    @Override
    public void chunk(String payload, JsonNode chunk, OutputStream out) throws IOException {
        collect(chunk);
        door.chunk(payload, chunk, out);
    }

    @Override
    public void done(Usage usage, OutputStream out) throws IOException {
        finished.accept(completion(usage), pieces());
        door.done(usage, out);
    }

    @Override
    public void failed(StreamFailure failure, OutputStream out) throws IOException {
        door.failed(failure, out);
    }

    private void collect(JsonNode chunk) {
        if (chunk == null) {
            return;
        }
        if (id == null && chunk.hasNonNull("id")) {
            id = chunk.get("id").asText();
        }
        if (created == null && chunk.hasNonNull("created")) {
            created = chunk.get("created");
        }
        if (model == null && chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        if (fingerprint == null && chunk.hasNonNull("system_fingerprint")) {
            fingerprint = chunk.get("system_fingerprint").asText();
        }
        for (JsonNode choice : chunk.path("choices")) {
            choices.computeIfAbsent(choice.path("index").asInt(0), i -> new Choice()).add(choice);
        }
    }

    /** The completion the chunks make, with the usage the stream was settled to. */
    ObjectNode completion(Usage usage) {
        ObjectNode completion = JSON.objectNode();
        completion.put("id", id == null ? "chatcmpl-cached" : id);
        completion.put("object", "chat.completion");
        if (created != null) {
            completion.set("created", created);
        }
        completion.put("model", model == null ? "" : model);
        if (fingerprint != null) {
            completion.put("system_fingerprint", fingerprint);
        }
        ArrayNode list = completion.putArray("choices");
        choices.forEach((index, choice) -> list.add(choice.message(index)));
        Usage settled = usage == null ? Usage.NONE : usage;
        completion.putObject("usage").put("prompt_tokens", settled.promptTokens())
                .put("completion_tokens", settled.completionTokens()).put("total_tokens", settled.totalTokens());
        return completion;
    }

    private List<List<String>> pieces() {
        List<List<String>> pieces = new ArrayList<>();
        choices.values().forEach(choice -> pieces.add(List.copyOf(choice.pieces)));
        return pieces;
    }

    /** One choice so far. */
    private static final class Choice {
        private final StringBuilder content = new StringBuilder();
        private final List<String> pieces = new ArrayList<>();
        private final Map<String, StringBuilder> other = new TreeMap<>(); // reasoning_content, reasoning, refusal
        private final Map<Integer, ToolCall> calls = new TreeMap<>();
        private String role;
        private String finishReason;

        void add(JsonNode choice) {
            JsonNode delta = choice.path("delta");
            if (role == null && delta.hasNonNull("role")) {
                role = delta.get("role").asText();
            }
            JsonNode text = delta.get("content");
            if (text != null && text.isTextual() && !text.asText().isEmpty()) {
                content.append(text.asText());
                pieces.add(text.asText());
            }
            for (String field : List.of("reasoning_content", "reasoning", "refusal")) {
                JsonNode part = delta.get(field);
                if (part != null && part.isTextual()) {
                    other.computeIfAbsent(field, f -> new StringBuilder()).append(part.asText());
                }
            }
            for (JsonNode call : delta.path("tool_calls")) {
                calls.computeIfAbsent(call.path("index").asInt(calls.size()), i -> new ToolCall()).add(call);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }

        ObjectNode message(int index) {
            ObjectNode choice = JSON.objectNode().put("index", index);
            ObjectNode message = choice.putObject("message").put("role", role == null ? "assistant" : role);
            if (content.length() > 0 || calls.isEmpty()) {
                message.put("content", content.toString());
            } else {
                message.putNull("content");
            }
            other.forEach((field, text) -> message.put(field, text.toString()));
            if (!calls.isEmpty()) {
                ArrayNode list = message.putArray("tool_calls");
                calls.values().forEach(call -> list.add(call.json()));
            }
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            return choice;
        }
    }

    /** One tool call so far: its id, name and arguments arrive in pieces. */
    private static final class ToolCall {
        private String id;
        private String type;
        private final StringBuilder name = new StringBuilder();
        private final StringBuilder arguments = new StringBuilder();

        void add(JsonNode call) {
            if (id == null && call.hasNonNull("id")) {
                id = call.get("id").asText();
            }
            if (type == null && call.hasNonNull("type")) {
                type = call.get("type").asText();
            }
            JsonNode function = call.path("function");
            if (function.path("name").isTextual()) {
                name.append(function.get("name").asText());
            }
            if (function.path("arguments").isTextual()) {
                arguments.append(function.get("arguments").asText());
            }
        }

        ObjectNode json() {
            ObjectNode call = JSON.objectNode();
            if (id != null) {
                call.put("id", id);
            }
            call.put("type", type == null ? "function" : type);
            call.putObject("function").put("name", name.toString()).put("arguments", arguments.toString());
            return call;
        }
    }
}

package dev.freeway.api.messages;

import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.List;

/**
 * POST /v1/messages (Anthropic Messages) in, chat completions out. {@code system} becomes the first message, content
 * blocks become chat parts, tool_use and tool_result blocks become tool calls and tool messages, {@code tools} with
 * {@code input_schema} become function tools. {@code thinking} and {@code top_k} have no chat equivalent every
 * provider honours and are ignored. Mistakes are {@code ApiError}s naming the field in Anthropic's dotted form
 * ({@code messages.0.content.1.source}); the door renders them with {@link AnthropicErrors}.
 */
public final class MessagesRequests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MessagesRequests() {
    }

    /** A Messages request for routing: {@code max_tokens} is required, as Anthropic requires it. */
    public static ObjectNode toChat(ObjectNode request) {
        return translate(request, true);
    }

    /** A count_tokens request: the same body without {@code max_tokens}. */
    public static ObjectNode forCounting(ObjectNode request) {
        return translate(request, false);
    }

    private static ObjectNode translate(ObjectNode request, boolean needsMaxTokens) {
        ObjectNode chat = JSON.objectNode();
        chat.put("model", Fields.text(request, "model", "model"));
        ArrayNode messages = chat.putArray("messages");
        system(request, messages);
        JsonNode turns = Fields.get(request, "messages");
        if (turns == null) {
            throw Fields.missing("messages");
        }
        if (!turns.isArray() || turns.isEmpty()) {
            throw Fields.wrongType("messages", "a non-empty array of messages");
        }
        for (int i = 0; i < turns.size(); i++) {
            messages.addAll(ContentBlocks.toMessages(turns.get(i), "messages." + i));
        }
        Long maxTokens = Fields.integer(request, "max_tokens", "max_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null && needsMaxTokens) {
            throw Fields.missing("max_tokens");
        }
        if (maxTokens != null) {
            chat.put("max_tokens", maxTokens);
        }
        MessagesTools.apply(request, chat);
        sampling(request, chat);
        if (Fields.bool(request, "stream", "stream", false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static void system(ObjectNode request, ArrayNode messages) {
        JsonNode system = Fields.get(request, "system");
        if (system == null) {
            return;
        }
        String text;
        if (system.isTextual()) {
            text = system.asText();
        } else if (system.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                String path = "system." + i;
                if (!"text".equals(block.path("type").asText())) {
                    throw Fields.invalid(path + ".type", "system blocks must be text blocks.");
                }
                joined.append(joined.length() == 0 ? "" : "\n\n").append(Fields.text(block, "text", path + ".text"));
            }
            text = joined.toString();
        } else {
            throw Fields.wrongType("system", "a string or an array of text blocks");
        }
        if (!text.isEmpty()) {
            messages.addObject().put("role", "system").put("content", text);
        }
    }

    private static void sampling(ObjectNode request, ObjectNode chat) {
        Fields.copyNumber(request, chat, "temperature", 0, 1);
        Fields.copyNumber(request, chat, "top_p", 0, 1);
        Fields.integer(request, "top_k", "top_k", 0, Integer.MAX_VALUE);
        JsonNode stops = Fields.get(request, "stop_sequences");
        if (stops != null) {
            if (!stops.isArray()) {
                throw Fields.wrongType("stop_sequences", "an array of strings");
            }
            ArrayNode stop = JSON.arrayNode();
            for (int i = 0; i < stops.size(); i++) {
                if (!stops.get(i).isTextual() || stops.get(i).asText().isEmpty()) {
                    throw Fields.wrongType("stop_sequences." + i, "a non-empty string");
                }
                stop.add(stops.get(i).asText());
            }
            if (!stop.isEmpty()) {
                chat.set("stop", stop);
            }
        }
        JsonNode metadata = Fields.get(request, "metadata");
        if (metadata != null && !metadata.isObject()) {
            throw Fields.wrongType("metadata", "an object");
        }
        String user = metadata == null ? null : Fields.optionalText(metadata, "user_id", "metadata.user_id");
        if (user != null && !user.isEmpty()) {
            chat.put("user", user);
        }
        JsonNode thinking = Fields.get(request, "thinking");
        if (thinking != null && !thinking.isObject()) {
            throw Fields.wrongType("thinking", "an object");
        }
        for (String field : List.of("mcp_servers", "container")) {
            JsonNode value = Fields.get(request, field);
            if (value != null && !(value.isArray() && value.isEmpty())) {
                throw Fields.unsupported(field, "'" + field + "' runs on Anthropic's servers; no model this gateway"
                        + " routes to offers it.");
            }
        }
    }
}

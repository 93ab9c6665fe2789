package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One Anthropic message as chat messages. A user turn's tool_result blocks become tool messages, which chat wants
 * before the user's own words; an assistant turn's tool_use blocks become its tool_calls. Thinking blocks are
 * dropped: another model cannot continue them.
 */
final class ContentBlocks {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private ContentBlocks() {
    }

    static List<ObjectNode> toMessages(JsonNode message, String path) {
        if (!message.isObject()) {
            throw Fields.wrongType(path, "a message object");
        }
        String role = Fields.text(message, "role", path + ".role");
        if (!role.equals("user") && !role.equals("assistant")) {
            throw Fields.invalid(path + ".role", "expected user or assistant (system goes in the top-level system).");
        }
        JsonNode content = Fields.get(message, "content");
        if (content == null) {
            throw Fields.missing(path + ".content");
        }
        if (content.isTextual()) {
            return List.of(JSON.objectNode().put("role", role).put("content", content.asText()));
        }
        if (!content.isArray()) {
            throw Fields.wrongType(path + ".content", "a string or an array of content blocks");
        }
        return role.equals("user") ? user(content, path + ".content") : assistant(content, path + ".content");
    }

    private static List<ObjectNode> user(JsonNode blocks, String path) {
        List<ObjectNode> messages = new ArrayList<>();
        ArrayNode parts = JSON.arrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = block(blocks.get(i), path + "." + i);
            String where = path + "." + i;
            switch (block.get("type").asText()) {
                case "text" -> parts.add(textPart(Fields.text(block, "text", where + ".text")));
                case "image" -> parts.add(image(block, where));
                case "tool_result" -> messages.add(toolResult(block, where, parts));
                default -> throw unsupported(where, block.get("type").asText());
            }
        }
        if (!parts.isEmpty()) {
            messages.add(JSON.objectNode().put("role", "user").set("content", simplified(parts)));
        }
        return messages;
    }

    private static List<ObjectNode> assistant(JsonNode blocks, String path) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = JSON.arrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = block(blocks.get(i), path + "." + i);
            String where = path + "." + i;
            switch (block.get("type").asText()) {
                case "text" -> text.append(Fields.text(block, "text", where + ".text"));
                case "tool_use" -> calls.add(toolCall(block, where));
                case "thinking", "redacted_thinking" -> { }
                default -> throw unsupported(where, block.get("type").asText());
            }
        }
        ObjectNode message = JSON.objectNode().put("role", "assistant");
        if (text.length() == 0 && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return List.of(message);
    }

    private static JsonNode block(JsonNode block, String path) {
        if (!block.isObject()) {
            throw Fields.wrongType(path, "a content block object");
        }
        Fields.text(block, "type", path + ".type");
        return block;
    }

    private static ObjectNode toolCall(JsonNode block, String path) {
        JsonNode input = Fields.get(block, "input");
        if (input != null && !input.isObject()) {
            throw Fields.wrongType(path + ".input", "an object");
        }
        ObjectNode function = JSON.objectNode().put("name", Fields.text(block, "name", path + ".name"))
                .put("arguments", input == null ? "{}" : input.toString());
        return JSON.objectNode().put("id", Fields.text(block, "id", path + ".id")).put("type", "function")
                .set("function", function);
    }

    /** A tool message; images the result holds go to the user message that follows, since tool messages are text. */
    private static ObjectNode toolResult(JsonNode block, String path, ArrayNode userParts) {
        String id = Fields.text(block, "tool_use_id", path + ".tool_use_id");
        JsonNode content = Fields.get(block, "content");
        StringBuilder text = new StringBuilder();
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = block(content.get(i), path + ".content." + i);
                String where = path + ".content." + i;
                switch (part.get("type").asText()) {
                    case "text" -> text.append(Fields.text(part, "text", where + ".text"));
                    case "image" -> userParts.add(image(part, where));
                    default -> throw unsupported(where, part.get("type").asText());
                }
            }
        } else if (content != null) {
            throw Fields.wrongType(path + ".content", "a string or an array of text and image blocks");
        }
        boolean error = Fields.bool(block, "is_error", path + ".is_error", false);
        return JSON.objectNode().put("role", "tool").put("tool_call_id", id)
                .put("content", error ? "Error: " + text : text.toString());
    }

    private static ObjectNode image(JsonNode block, String path) {
        JsonNode source = Fields.get(block, "source");
        if (source == null || !source.isObject()) {
            throw source == null ? Fields.missing(path + ".source") : Fields.wrongType(path + ".source", "an object");
        }
        String type = Fields.text(source, "type", path + ".source.type");
        String url = switch (type) {
            case "base64" -> {
                String mediaType = Fields.text(source, "media_type", path + ".source.media_type");
                if (!IMAGE_TYPES.contains(mediaType)) {
                    throw Fields.invalid(path + ".source.media_type", "expected image/jpeg, image/png, image/gif"
                            + " or image/webp.");
                }
                yield "data:" + mediaType + ";base64," + Fields.text(source, "data", path + ".source.data");
            }
            case "url" -> Fields.text(source, "url", path + ".source.url");
            default -> throw Fields.unsupported(path + ".source.type", "'" + type + "' image sources are not"
                    + " supported; send base64 or url.");
        };
        ObjectNode part = JSON.objectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    private static ObjectNode textPart(String text) {
        return JSON.objectNode().put("type", "text").put("text", text);
    }

    /** Text-only content as one string: every provider takes that, not all take arrays of parts. */
    private static JsonNode simplified(ArrayNode parts) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            if (!part.path("type").asText().equals("text")) {
                return parts;
            }
            text.append(text.length() == 0 ? "" : "\n").append(part.path("text").asText());
        }
        return JSON.textNode(text.toString());
    }

    private static RuntimeException unsupported(String path, String type) {
        return Fields.unsupported(path + ".type", "'" + type + "' blocks cannot be sent to the chat models this"
                + " gateway routes to (use text, image, tool_use and tool_result).");
    }
}

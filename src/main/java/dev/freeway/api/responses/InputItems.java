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
 * The Responses API's {@code input}: checked and normalised into the items a stored conversation keeps (every message
 * with {@code type} and a content array), and turned into chat messages. Item kinds a chat provider cannot carry are
 * refused by name.
 */
final class InputItems {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> ROLES = Set.of("user", "system", "developer", "assistant");

    private InputItems() {
    }

    /** {@code input} as items: a string is one user message. */
    static List<ObjectNode> normalise(JsonNode input) {
        if (input == null) {
            throw Fields.missing("input");
        }
        if (input.isTextual()) {
            return List.of(message("user", List.of(part("input_text", "text", input.asText()))));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw Fields.wrongType("input", "a string or a non-empty array of input items");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]").ifPresent(items::add);
        }
        return items;
    }

    private static java.util.Optional<ObjectNode> item(JsonNode item, String path) {
        if (!item.isObject()) {
            throw Fields.wrongType(path, "an input item object");
        }
        String type = item.hasNonNull("type") ? Fields.text(item, "type", path + ".type") : "message";
        return switch (type) {
            case "message" -> java.util.Optional.of(messageItem(item, path));
            case "function_call" -> java.util.Optional.of(functionCall(item, path));
            case "function_call_output" -> java.util.Optional.of(functionOutput(item, path));
            // Reasoning a client replays cannot be given to another model; dropping it loses nothing it could use.
            case "reasoning" -> java.util.Optional.empty();
            case "item_reference" -> throw Fields.unsupported(path + ".type", "item references are not supported;"
                    + " send previous_response_id, or the items themselves.");
            default -> throw Fields.unsupported(path + ".type", "'" + type + "' items cannot be sent to the chat"
                    + " models this gateway routes to (use message, function_call and function_call_output).");
        };
    }

    private static ObjectNode messageItem(JsonNode item, String path) {
        String role = Fields.text(item, "role", path + ".role");
        if (!ROLES.contains(role)) {
            throw Fields.invalid(path + ".role", "expected one of user, system, developer, assistant.");
        }
        JsonNode content = Fields.get(item, "content");
        if (content == null) {
            throw Fields.missing(path + ".content");
        }
        String textType = role.equals("assistant") ? "output_text" : "input_text";
        if (content.isTextual()) {
            return message(role, List.of(part(textType, "text", content.asText())));
        }
        if (!content.isArray()) {
            throw Fields.wrongType(path + ".content", "a string or an array of content parts");
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(contentPart(content.get(i), path + ".content[" + i + "]"));
        }
        return message(role, parts);
    }

    private static ObjectNode contentPart(JsonNode part, String path) {
        if (!part.isObject()) {
            throw Fields.wrongType(path, "a content part object");
        }
        String type = Fields.text(part, "type", path + ".type");
        switch (type) {
            case "input_text", "output_text" -> {
                return part(type, "text", textOf(part, "text", path));
            }
            case "refusal" -> {
                return part(type, "refusal", textOf(part, "refusal", path));
            }
            case "input_image" -> {
                if (part.hasNonNull("file_id") && !part.hasNonNull("image_url")) {
                    throw Fields.unsupported(path + ".file_id", "uploaded files are not available here; send the"
                            + " image as image_url (an https URL or a data: URL).");
                }
                ObjectNode image = part("input_image", "image_url", Fields.text(part, "image_url", path + ".image_url"));
                String detail = Fields.optionalText(part, "detail", path + ".detail");
                if (detail != null) {
                    image.put("detail", detail);
                }
                return image;
            }
            default -> throw Fields.unsupported(path + ".type", "'" + type + "' content cannot be sent to the chat"
                    + " models this gateway routes to (use input_text or input_image).");
        }
    }

    private static String textOf(JsonNode part, String field, String path) {
        JsonNode text = Fields.get(part, field);
        if (text == null) {
            throw Fields.missing(path + "." + field);
        }
        if (!text.isTextual()) {
            throw Fields.wrongType(path + "." + field, "a string");
        }
        return text.asText();
    }

    private static ObjectNode functionCall(JsonNode item, String path) {
        ObjectNode call = JSON.objectNode().put("type", "function_call")
                .put("call_id", Fields.text(item, "call_id", path + ".call_id"))
                .put("name", Fields.text(item, "name", path + ".name"));
        JsonNode arguments = Fields.get(item, "arguments");
        if (arguments != null && !arguments.isTextual()) {
            throw Fields.wrongType(path + ".arguments", "a string of JSON");
        }
        call.put("arguments", arguments == null ? "{}" : arguments.asText());
        String id = Fields.optionalText(item, "id", path + ".id");
        if (id != null) {
            call.put("id", id);
        }
        return call;
    }

    private static ObjectNode functionOutput(JsonNode item, String path) {
        String callId = Fields.text(item, "call_id", path + ".call_id");
        JsonNode output = Fields.get(item, "output");
        if (output == null) {
            throw Fields.missing(path + ".output");
        }
        String text;
        if (output.isTextual()) {
            text = output.asText();
        } else if (output.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < output.size(); i++) {
                JsonNode part = output.get(i);
                String where = path + ".output[" + i + "]";
                if (!"input_text".equals(part.path("type").asText())) {
                    throw Fields.unsupported(where + ".type", "a function call's output can only be text here.");
                }
                joined.append(textOf(part, "text", where));
            }
            text = joined.toString();
        } else {
            throw Fields.wrongType(path + ".output", "a string or an array of input_text parts");
        }
        return JSON.objectNode().put("type", "function_call_output").put("call_id", callId).put("output", text);
    }

    static ObjectNode message(String role, List<ObjectNode> parts) {
        ObjectNode message = JSON.objectNode().put("type", "message").put("role", role);
        message.putArray("content").addAll(parts);
        return message;
    }

    private static ObjectNode part(String type, String field, String value) {
        return JSON.objectNode().put("type", type).put(field, value);
    }

    /** Chat messages for normalised items, in order. */
    static List<ObjectNode> toMessages(List<? extends JsonNode> items) {
        List<ObjectNode> messages = new ArrayList<>();
        for (JsonNode item : items) {
            switch (item.path("type").asText()) {
                case "message" -> messages.add(chatMessage(item));
                case "function_call" -> addToolCall(messages, item);
                case "function_call_output" -> messages.add(JSON.objectNode().put("role", "tool")
                        .put("tool_call_id", item.path("call_id").asText())
                        .put("content", item.path("output").asText()));
                default -> { } // reasoning and anything else a chat model cannot read
            }
        }
        return messages;
    }

    private static ObjectNode chatMessage(JsonNode item) {
        String role = item.path("role").asText();
        // Most free providers reject the developer role; system means the same to them.
        ObjectNode message = JSON.objectNode().put("role", role.equals("developer") ? "system" : role);
        boolean images = false;
        StringBuilder text = new StringBuilder();
        ArrayNode parts = JSON.arrayNode();
        for (JsonNode part : item.path("content")) {
            if (part.path("type").asText().equals("input_image")) {
                images = true;
                ObjectNode url = JSON.objectNode().put("url", part.path("image_url").asText());
                if (part.hasNonNull("detail")) {
                    url.put("detail", part.get("detail").asText());
                }
                parts.addObject().put("type", "image_url").set("image_url", url);
            } else {
                String value = part.has("refusal") ? part.path("refusal").asText() : part.path("text").asText();
                text.append(value);
                parts.addObject().put("type", "text").put("text", value);
            }
        }
        // Plain text as a string: every provider takes that, not all take arrays of parts.
        if (images && role.equals("user")) {
            message.set("content", parts);
        } else {
            message.put("content", text.toString());
        }
        return message;
    }

    /** Function calls join the assistant message before them, as one chat turn with several tool calls. */
    private static void addToolCall(List<ObjectNode> messages, JsonNode item) {
        ObjectNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last == null || !"assistant".equals(last.path("role").asText())) {
            last = JSON.objectNode().put("role", "assistant").putNull("content");
            messages.add(last);
        }
        ArrayNode calls = last.has("tool_calls") ? (ArrayNode) last.get("tool_calls") : last.putArray("tool_calls");
        ObjectNode function = JSON.objectNode().put("name", item.path("name").asText())
                .put("arguments", item.path("arguments").asText("{}"));
        calls.addObject().put("id", item.path("call_id").asText()).put("type", "function").set("function", function);
    }
}

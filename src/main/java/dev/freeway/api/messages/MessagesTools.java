package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.HashSet;
import java.util.Set;

/**
 * Anthropic tools ({@code name, description, input_schema}) as chat function tools, and {@code tool_choice}:
 * auto → auto, any → required, tool → that function, none → none; {@code disable_parallel_tool_use} →
 * {@code parallel_tool_calls: false}. Anthropic's server tools (web search, code execution, ...) run on its
 * servers and are refused by name.
 */
final class MessagesTools {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MessagesTools() {
    }

    static void apply(ObjectNode request, ObjectNode chat) {
        Set<String> names = tools(request, chat);
        JsonNode choice = Fields.get(request, "tool_choice");
        if (choice == null) {
            return;
        }
        if (!choice.isObject()) {
            throw Fields.wrongType("tool_choice", "an object with a type");
        }
        switch (Fields.text(choice, "type", "tool_choice.type")) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> {
                String name = Fields.text(choice, "name", "tool_choice.name");
                if (!names.contains(name)) {
                    throw Fields.invalid("tool_choice.name", "'" + name + "' is not one of the tools in 'tools'.");
                }
                chat.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
            }
            default -> throw Fields.invalid("tool_choice.type", "expected auto, any, tool or none.");
        }
        if (Fields.bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use", false)) {
            chat.put("parallel_tool_calls", false);
        }
    }

    private static Set<String> tools(ObjectNode request, ObjectNode chat) {
        Set<String> names = new HashSet<>();
        JsonNode tools = Fields.get(request, "tools");
        if (tools == null) {
            return names;
        }
        if (!tools.isArray()) {
            throw Fields.wrongType("tools", "an array of tools");
        }
        ArrayNode chatTools = JSON.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools." + i;
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                throw Fields.wrongType(path, "a tool object");
            }
            String type = Fields.optionalText(tool, "type", path + ".type");
            if (type != null && !type.equals("custom")) {
                throw Fields.unsupported(path + ".type", "the server tool '" + type + "' runs on Anthropic's"
                        + " servers; no model this gateway routes to offers it. Declare a custom tool instead.");
            }
            String name = Fields.functionName(tool, "name", path + ".name"); // it becomes a chat function's name
            JsonNode schema = Fields.get(tool, "input_schema");
            if (schema == null) {
                throw Fields.missing(path + ".input_schema");
            }
            if (!schema.isObject()) {
                throw Fields.wrongType(path + ".input_schema", "a JSON Schema object");
            }
            names.add(name);
            ObjectNode function = JSON.objectNode().put("name", name);
            String description = Fields.optionalText(tool, "description", path + ".description");
            if (description != null) {
                function.put("description", description);
            }
            function.set("parameters", schema);
            chatTools.addObject().put("type", "function").set("function", function);
        }
        if (!chatTools.isEmpty()) {
            chat.set("tools", chatTools);
        }
        return names;
    }
}

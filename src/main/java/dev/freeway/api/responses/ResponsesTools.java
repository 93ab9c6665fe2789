package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.HashSet;
import java.util.Set;

/**
 * The Responses API's flat function tools ({@code {type, name, parameters}}) as chat tools
 * ({@code {type, function: {name, parameters}}}), and {@code tool_choice} likewise. Built-in tools (web_search,
 * file_search, code_interpreter, ...) run inside OpenAI; no model this gateway routes to offers them.
 */
final class ResponsesTools {

    private ResponsesTools() {
    }

    static void apply(ObjectNode request, ObjectNode chat) {
        Set<String> names = tools(request, chat);
        toolChoice(request, chat, names);
        JsonNode parallel = Fields.get(request, "parallel_tool_calls");
        if (parallel != null) {
            chat.put("parallel_tool_calls", Fields.bool(request, "parallel_tool_calls", "parallel_tool_calls", true));
        }
    }

    private static Set<String> tools(ObjectNode request, ObjectNode chat) {
        Set<String> names = new HashSet<>();
        JsonNode tools = Fields.get(request, "tools");
        if (tools == null) {
            return names;
        }
        if (!tools.isArray()) {
            throw Fields.wrongType("tools", "an array of tool objects");
        }
        ArrayNode chatTools = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                throw Fields.wrongType(path, "a tool object");
            }
            String type = Fields.text(tool, "type", path + ".type");
            if (!type.equals("function")) {
                throw builtIn(path + ".type", type);
            }
            String name = Fields.functionName(tool, "name", path + ".name");
            names.add(name);
            chatTools.addObject().put("type", "function").set("function", function(tool, path, name));
        }
        if (chatTools.isEmpty()) {
            chat.remove("tools");
        }
        return names;
    }

    private static ObjectNode function(JsonNode tool, String path, String name) {
        ObjectNode function = chatFunction(name);
        String description = Fields.optionalText(tool, "description", path + ".description");
        if (description != null) {
            function.put("description", description);
        }
        JsonNode parameters = Fields.get(tool, "parameters");
        if (parameters != null && !parameters.isObject()) {
            throw Fields.wrongType(path + ".parameters", "a JSON Schema object");
        }
        if (parameters != null) {
            function.set("parameters", parameters);
        } else {
            function.putObject("parameters").put("type", "object").putObject("properties");
        }
        if (Fields.get(tool, "strict") != null) {
            function.put("strict", Fields.bool(tool, "strict", path + ".strict", false));
        }
        return function;
    }

    private static void toolChoice(ObjectNode request, ObjectNode chat, Set<String> names) {
        JsonNode choice = Fields.get(request, "tool_choice");
        if (choice == null) {
            return;
        }
        if (choice.isTextual()) {
            String mode = choice.asText();
            if (!Set.of("none", "auto", "required").contains(mode)) {
                throw Fields.invalid("tool_choice", "expected none, auto, required or a function to call.");
            }
            chat.put("tool_choice", mode);
            return;
        }
        if (!choice.isObject()) {
            throw Fields.wrongType("tool_choice", "a string or an object");
        }
        String type = Fields.text(choice, "type", "tool_choice.type");
        if (type.equals("allowed_tools")) {
            throw Fields.unsupported("tool_choice.type", "allowed_tools is not supported; list only the tools"
                    + " the model may call in 'tools'.");
        }
        if (!type.equals("function")) {
            throw builtIn("tool_choice.type", type);
        }
        String name = Fields.text(choice, "name", "tool_choice.name");
        if (!names.contains(name)) {
            throw Fields.invalid("tool_choice.name", "'" + name + "' is not one of the function tools in 'tools'.");
        }
        chat.putObject("tool_choice").put("type", "function").set("function", chatFunction(name));
    }

    private static ObjectNode chatFunction(String name) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", name);
    }

    private static RuntimeException builtIn(String path, String type) {
        return Fields.unsupported(path, "the built-in tool '" + type + "' is not offered by any model this gateway"
                + " routes to; declare it as a function tool and run it yourself.");
    }
}

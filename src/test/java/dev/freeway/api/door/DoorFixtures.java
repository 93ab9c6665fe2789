package dev.freeway.api.door;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.api.ChatRequestValidator;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON helpers for the front doors' tests: bodies as text, and the checks every door's output must pass. */
public final class DoorFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();

    private DoorFixtures() {
    }

    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("test JSON does not parse: " + json, e);
        }
    }

    /** Any JSON value, arrays included. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("test JSON does not parse: " + json, e);
        }
    }

    public static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The translated request is one the chat endpoint itself would accept. */
    public static ObjectNode acceptedByChat(ObjectNode chat) {
        return ChatRequestValidator.validated(chat.deepCopy());
    }

    /** A 400 naming {@code param}, whose message contains {@code words}. */
    public static ApiError assertInvalid(String param, String words, Executable translation) {
        ApiError error = assertThrows(ApiError.class, translation);
        assertEquals(400, error.status(), error.getMessage());
        assertEquals(param, error.param(), error.getMessage());
        assertTrue(error.getMessage().contains(words), () -> "'" + words + "' not in: " + error.getMessage());
        return error;
    }

    /** Events' names in order. */
    public static List<String> names(List<SseEvent> events) {
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.name()));
        return names;
    }

    /** A chat stream chunk with a text delta. */
    public static JsonNode textChunk(String text) {
        return object("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"delta":{"content":%s},"finish_reason":null}]}""".formatted(text(text)));
    }

    /** A chat stream chunk carrying only a finish reason. */
    public static JsonNode finishChunk(String reason) {
        return object("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"delta":{},"finish_reason":"%s"}]}""".formatted(reason));
    }

    /** The include_usage chunk: usage and no choices. */
    public static JsonNode usageChunk(long prompt, long completion) {
        return object("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(prompt, completion, prompt + completion));
    }

    /** A tool-call delta: the first one of a call carries id and name, later ones only arguments. */
    public static JsonNode toolChunk(int index, String id, String name, String arguments) {
        ObjectNode function = JSON.createObjectNode();
        if (name != null) {
            function.put("name", name);
        }
        function.put("arguments", arguments);
        ObjectNode call = JSON.createObjectNode().put("index", index);
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        call.set("function", function);
        ObjectNode chunk = object("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"delta":{},"finish_reason":null}]}""");
        ((ObjectNode) chunk.get("choices").get(0).get("delta")).putArray("tool_calls").add(call);
        return chunk;
    }
}

package dev.freeway.api.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;

import java.util.List;

/**
 * POST /v1/completions (OpenAI's legacy text completions) as a chat request: the prompt becomes one user message.
 * What chat cannot express is refused with the field named: {@code suffix} (fill-in-the-middle), {@code echo},
 * {@code logprobs}, {@code best_of} above 1, token-id prompts, and several prompts in one request (each would be a
 * separate upstream call).
 */
public final class CompletionsRequests {

    /** OpenAI's documented default for legacy completions when max_tokens is absent. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> PASSED_THROUGH = List.of("presence_penalty", "frequency_penalty", "seed",
            "logit_bias", "n");

    private CompletionsRequests() {
    }

    public static ObjectNode toChat(ObjectNode request) {
        ObjectNode chat = JSON.objectNode();
        chat.put("model", Fields.text(request, "model", "model"));
        chat.putArray("messages").addObject().put("role", "user").put("content", prompt(request));
        refuseUnsupported(request);
        Long maxTokens = Fields.integer(request, "max_tokens", "max_tokens", 1, Integer.MAX_VALUE);
        chat.put("max_tokens", maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
        Fields.copyNumber(request, chat, "temperature", 0, 2);
        Fields.copyNumber(request, chat, "top_p", 0, 1);
        stop(request, chat);
        String user = Fields.optionalText(request, "user", "user");
        if (user != null) {
            chat.put("user", user);
        }
        Fields.integer(request, "n", "n", 1, 128);
        for (String field : PASSED_THROUGH) {
            JsonNode value = Fields.get(request, field);
            if (value != null) {
                chat.set(field, value);
            }
        }
        JsonNode options = Fields.get(request, "stream_options");
        if (options != null) { // the client's include_usage decides its usage chunk (CompletionsResource)
            if (!options.isObject()) {
                throw Fields.wrongType("stream_options", "an object");
            }
            Fields.bool(options, "include_usage", "stream_options.include_usage", false);
        }
        if (Fields.bool(request, "stream", "stream", false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static String prompt(ObjectNode request) {
        JsonNode prompt = Fields.get(request, "prompt");
        if (prompt == null) {
            throw Fields.missing("prompt");
        }
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw Fields.wrongType("prompt", "a string or an array of one string");
        }
        if (prompt.get(0).isNumber() || prompt.get(0).isArray()) {
            throw Fields.unsupported("prompt", "token-id prompts cannot be sent to chat models, whose tokenizers"
                    + " differ; send the prompt as text.");
        }
        if (prompt.size() > 1) {
            throw Fields.unsupported("prompt", "send one prompt per request (" + prompt.size() + " were sent).");
        }
        if (!prompt.get(0).isTextual()) {
            throw Fields.wrongType("prompt[0]", "a string");
        }
        return prompt.get(0).asText();
    }

    private static void refuseUnsupported(ObjectNode request) {
        if (Fields.get(request, "suffix") != null) {
            throw Fields.unsupported("suffix", "suffix (fill-in-the-middle) cannot be carried over chat"
                    + " completions; put the code after the cursor into the prompt instead.");
        }
        if (Fields.bool(request, "echo", "echo", false)) {
            throw Fields.unsupported("echo", "echo is not supported; the prompt is the text you sent.");
        }
        if (Fields.get(request, "logprobs") != null) {
            throw Fields.unsupported("logprobs", "log probabilities are not supported on legacy completions here.");
        }
        Long bestOf = Fields.integer(request, "best_of", "best_of", 1, 20);
        if (bestOf != null && bestOf > 1) {
            throw Fields.unsupported("best_of", "best_of above 1 is not supported; use n.");
        }
    }

    private static void stop(ObjectNode request, ObjectNode chat) {
        JsonNode stop = Fields.get(request, "stop");
        if (stop == null) {
            return;
        }
        if (stop.isTextual()) {
            chat.put("stop", stop.asText());
            return;
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw Fields.wrongType("stop", "a string or an array of up to 4 strings");
        }
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isTextual()) {
                throw Fields.wrongType("stop[" + i + "]", "a string");
            }
        }
        chat.set("stop", stop);
    }
}

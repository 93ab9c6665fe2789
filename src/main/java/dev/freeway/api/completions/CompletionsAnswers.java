package dev.freeway.api.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.Fields;
import dev.freeway.api.door.Ids;
import dev.freeway.provider.Usage;

/** A provider's chat completion as a legacy {@code text_completion}: each choice's text and finish reason. */
public final class CompletionsAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CompletionsAnswers() {
    }

    /**
     * @param chat     the provider's completion body
     * @param model    the requested model, used when the answer names none
     * @param estimate usage to report when the provider reported none
     */
    public static ObjectNode toCompletion(JsonNode chat, String model, Usage estimate) {
        ObjectNode completion = head(Ids.hex("cmpl-"), chat, model);
        ArrayNode choices = completion.putArray("choices");
        for (JsonNode choice : chat.path("choices")) {
            choices.add(choice(choice.path("index").asInt(choices.size()), text(choice.path("message").get("content")),
                    finishReason(choice.get("finish_reason"))));
        }
        completion.set("usage", usage(chat.get("usage"), estimate));
        return completion;
    }

    static ObjectNode head(String id, JsonNode chat, String model) {
        String served = chat.path("model").asText("");
        return JSON.objectNode().put("id", id).put("object", "text_completion")
                .put("created", chat.path("created").asLong(System.currentTimeMillis() / 1000))
                .put("model", served.isEmpty() ? model : served);
    }

    static ObjectNode choice(int index, String text, JsonNode finishReason) {
        ObjectNode choice = JSON.objectNode().put("text", text).put("index", index);
        choice.putNull("logprobs");
        choice.set("finish_reason", finishReason);
        return choice;
    }

    /** Legacy completions know stop, length and content_filter; a tool call cannot occur without tools. */
    static JsonNode finishReason(JsonNode chatReason) {
        if (chatReason == null || chatReason.isNull()) {
            return JSON.nullNode();
        }
        String reason = chatReason.asText();
        return JSON.textNode(reason.equals("length") || reason.equals("content_filter") ? reason : "stop");
    }

    /** A chat message's content as the completion's text, empty when there is none. */
    static String text(JsonNode content) {
        String text = Fields.chatText(content);
        return text == null ? "" : text;
    }

    static ObjectNode usage(JsonNode chatUsage, Usage estimate) {
        Usage reported = Usage.read(chatUsage);
        long prompt = (reported == null ? estimate : reported).promptTokens();
        long completion = (reported == null ? estimate : reported).completionTokens();
        return JSON.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}

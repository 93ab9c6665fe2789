package dev.freeway.api.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.DoorStream;
import dev.freeway.api.door.Ids;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;

import java.util.ArrayList;
import java.util.List;

/**
 * A chat stream as legacy completion chunks ({@code data: {"object":"text_completion","choices":[{"text"...}]}}),
 * ending with a usage chunk when the client asked for one and {@code data: [DONE]}. A failure is an OpenAI-shaped
 * error chunk and no [DONE]: a stream the provider did not finish must not look finished.
 */
public final class CompletionsStream implements DoorStream {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String id = Ids.hex("cmpl-");
    private final String model;
    private final boolean usageChunk;
    private JsonNode usage;
    private JsonNode last = JSON.objectNode();
    private boolean ended;

    /**
     * @param model      the requested model, until a chunk names the one serving
     * @param usageChunk whether the client asked for {@code stream_options.include_usage}
     */
    public CompletionsStream(String model, boolean usageChunk) {
        this.model = model;
        this.usageChunk = usageChunk;
    }

    @Override
    public List<SseEvent> open() {
        return List.of();
    }

    @Override
    public List<SseEvent> onChunk(JsonNode chunk) {
        if (ended) {
            return List.of();
        }
        last = chunk;
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        List<SseEvent> events = new ArrayList<>();
        for (JsonNode choice : chunk.path("choices")) {
            String text = CompletionsAnswers.text(choice.path("delta").get("content"));
            JsonNode finish = CompletionsAnswers.finishReason(choice.get("finish_reason"));
            if (!text.isEmpty() || !finish.isNull()) {
                ObjectNode out = CompletionsAnswers.head(id, chunk, model);
                out.putArray("choices").add(CompletionsAnswers.choice(choice.path("index").asInt(0), text, finish));
                events.add(SseEvent.data(out));
            }
        }
        return events;
    }

    @Override
    public List<SseEvent> complete(Usage estimate) {
        if (ended) {
            return List.of();
        }
        ended = true;
        List<SseEvent> events = new ArrayList<>();
        if (usageChunk) {
            ObjectNode out = CompletionsAnswers.head(id, last, model);
            out.putArray("choices");
            out.set("usage", CompletionsAnswers.usage(usage, estimate));
            events.add(SseEvent.data(out));
        }
        events.add(SseEvent.DONE);
        return events;
    }

    @Override
    public List<SseEvent> fail(String type, String code, String message) {
        if (ended) {
            return List.of();
        }
        ended = true;
        ObjectNode error = JSON.objectNode();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return List.of(SseEvent.data(error));
    }
}

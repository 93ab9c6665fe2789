package dev.freeway.api.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.provider.Usage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A provider's embeddings answer in OpenAI's shape, ordered by input, each vector in the encoding the client asked
 * for (whatever the provider sent), with usage from the provider or Freeway's estimate.
 */
public final class EmbeddingsAnswers {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EmbeddingsAnswers() {
    }

    /**
     * @param upstream the provider's body
     * @param request  the checked request
     * @param estimate input tokens to report when the provider reported none (promptTokens)
     */
    public static ObjectNode toClient(JsonNode upstream, EmbeddingsRequest request, Usage estimate) {
        List<JsonNode> data = new ArrayList<>();
        upstream.path("data").forEach(data::add);
        if (data.size() != request.texts().size()) {
            throw new ApiError(502, "server_error", "bad_upstream_answer", null, "The provider returned "
                    + data.size() + " embeddings for " + request.texts().size() + " inputs.");
        }
        data.sort(Comparator.comparingInt(item -> item.path("index").asInt(0)));
        ObjectNode answer = JSON.objectNode().put("object", "list");
        ArrayNode out = answer.putArray("data");
        for (int i = 0; i < data.size(); i++) {
            ObjectNode item = out.addObject().put("object", "embedding").put("index", i);
            item.set("embedding", encoded(data.get(i).get("embedding"), request.encoding()));
        }
        String model = upstream.path("model").asText("");
        answer.put("model", model.isEmpty() ? request.model() : model);
        Usage reported = Usage.read(upstream.get("usage"));
        long prompt = (reported == null ? estimate : reported).promptTokens();
        answer.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
        return answer;
    }

    private static JsonNode encoded(JsonNode vector, EmbeddingsRequest.Encoding encoding) {
        if (vector != null && vector.isArray()) {
            return encoding == EmbeddingsRequest.Encoding.BASE64 ? JSON.textNode(EmbeddingVectors.toBase64(vector))
                    : vector;
        }
        if (vector != null && vector.isTextual()) {
            return encoding == EmbeddingsRequest.Encoding.FLOAT ? EmbeddingVectors.fromBase64(vector.asText())
                    : vector;
        }
        throw new ApiError(502, "server_error", "bad_upstream_answer", null,
                "The provider returned an embedding that is neither a float array nor base64.");
    }
}

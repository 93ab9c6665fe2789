package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One kept answer: the engine's answer before any door translated it (the provider's chat completion with keys
 * redacted, or one put together from a stream), what served it, and the usage it was settled to. Any door can
 * replay it: a whole answer translated as that door translates, or a stream of chat chunks made from it.
 *
 * @param provider   the provider that served it, as configured
 * @param model      the provider's model id
 * @param account    the account id (never a key)
 * @param usage      the usage the original call was settled to: what a hit saves
 * @param completion the chat completion (or embeddings) JSON
 * @param pieces     for an answer that came as a stream, each choice's content deltas as they came (so a stream
 *                   replay sends the same chunks); null otherwise
 */
public record CachedAnswer(String provider, String model, String account, Usage usage, JsonNode completion,
                           List<List<String>> pieces) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The text kept in Redis beside the served-by fields. */
    String stored() {
        ObjectNode stored = JSON.createObjectNode();
        stored.set("completion", completion);
        if (pieces != null) {
            ArrayNode all = stored.putArray("pieces");
            pieces.forEach(choice -> {
                ArrayNode list = all.addArray();
                choice.forEach(list::add);
            });
        }
        return stored.toString();
    }

    /** Reads what {@link #stored()} wrote; null when it is not that (then the entry is treated as missing). */
    static CachedAnswer read(String provider, String model, String account, long input, long output, String text) {
        try {
            JsonNode stored = JSON.readTree(text);
            JsonNode completion = stored.get("completion");
            if (completion == null || !completion.isObject()) {
                return null;
            }
            List<List<String>> pieces = null;
            if (stored.path("pieces").isArray()) {
                pieces = new ArrayList<>();
                for (JsonNode choice : stored.get("pieces")) {
                    List<String> list = new ArrayList<>();
                    choice.forEach(piece -> list.add(piece.asText()));
                    pieces.add(list);
                }
            }
            return new CachedAnswer(provider, model, account, new Usage(input, output), completion, pieces);
        } catch (IOException e) {
            return null;
        }
    }
}

package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.routing.Endpoint;
import dev.freeway.routing.RouteRequest;

import java.util.Optional;

/**
 * What may be cached. A request is looked up and its answer kept only when the same request would get the same
 * answer: deterministic (temperature 0, or a seed) unless {@code freeway.cache.deterministic-only=false}; embeddings
 * always are. Requests asking for logprobs are never cached (a streamed answer's logprobs are not kept, so a replay
 * could not give them back). An answer is kept only when it is whole: a served 2xx whose every choice has a finish
 * reason other than {@code content_filter} (or, for embeddings, a data list), not cut off by a {@code max_tokens}
 * that quota set in place of the client's (a client that set none gets the model's whole answer when it stops by
 * itself), and without tool calls unless {@code freeway.cache.tool-calls=true} (a legacy {@code function_call}
 * never: a replay could not give it back).
 */
final class Cacheability {

    private final boolean deterministicOnly;
    private final boolean toolCalls;

    Cacheability(boolean deterministicOnly, boolean toolCalls) {
        this.deterministicOnly = deterministicOnly;
        this.toolCalls = toolCalls;
    }

    /** Why this request is not cacheable, or empty when it is. */
    Optional<String> whyNot(RouteRequest route) {
        if (route.endpoint() == Endpoint.EMBEDDINGS) {
            return Optional.empty();
        }
        JsonNode body = route.body();
        if (body.path("logprobs").asBoolean(false) || body.hasNonNull("top_logprobs")) {
            return Optional.of("it asks for logprobs");
        }
        if (deterministicOnly && !deterministic(body)) {
            return Optional.of("it is not deterministic (no temperature 0 and no seed)");
        }
        return Optional.empty();
    }

    static boolean deterministic(JsonNode body) {
        JsonNode temperature = body.get("temperature");
        return (temperature != null && temperature.isNumber() && temperature.doubleValue() == 0)
                || body.hasNonNull("seed");
    }

    /**
     * Why this answer may not be kept, or empty when it may.
     *
     * @param answer a chat completion (or an embeddings answer)
     * @param capped whether quota sent the call with a max_tokens the client did not set
     */
    Optional<String> whyNotKept(Endpoint endpoint, JsonNode answer, boolean capped) {
        if (answer == null || !answer.isObject()) {
            return Optional.of("no answer");
        }
        if (endpoint == Endpoint.EMBEDDINGS) {
            return answer.path("data").isArray() ? Optional.empty() : Optional.of("no data in the answer");
        }
        JsonNode choices = answer.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return Optional.of("no choices in the answer");
        }
        for (JsonNode choice : choices) {
            String finish = choice.path("finish_reason").asText("");
            if (finish.isEmpty() || "content_filter".equals(finish)) {
                return Optional.of(finish.isEmpty() ? "a choice did not finish" : "a choice was filtered");
            }
            if (capped && "length".equals(finish)) {
                return Optional.of("quota's shorter max_tokens cut a choice short");
            }
            JsonNode message = choice.path("message");
            if (message.hasNonNull("function_call") || "function_call".equals(finish)) {
                // neither a collected stream nor a replay carries the legacy call: kept, it would be lost
                return Optional.of("it calls a function the legacy way (function_call)");
            }
            boolean calls = message.path("tool_calls").size() > 0 || "tool_calls".equals(finish);
            if (calls && !toolCalls) {
                return Optional.of("it calls tools (freeway.cache.tool-calls is off)");
            }
        }
        return Optional.empty();
    }
}

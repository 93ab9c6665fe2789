package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.catalog.ModelSpec;

/**
 * What one call to one candidate may use, reserved before the call: the prompt's estimate plus, for each of the
 * {@code n} choices, the client's {@code max_completion_tokens} or {@code max_tokens}, else the model's max output,
 * else the configured default; never more per choice than the model's max output.
 *
 * <p>When the client set no maximum, the quota store may grant less output than that where a token rule has no
 * more room, down to {@link #least} (the configured default, or less when the model's max output is smaller); the
 * call is then sent with the granted output as {@code max_tokens}, so the provider cannot use more than was
 * reserved. A maximum the client set is never changed: a call that does not fit waits, or is refused when it never
 * can.
 *
 * @param prompt    estimated prompt tokens
 * @param perChoice output tokens per choice: wanted, or once reserved, granted
 * @param least     the least output per choice worth a call
 * @param choices   the request's {@code n}
 * @param explicit  whether the client set the maximum itself
 * @param capped    whether the grant is less than the wanted output, so it must be sent as {@code max_tokens}
 */
public record Estimate(long prompt, long perChoice, long least, long choices, boolean explicit, boolean capped) {

    static Estimate of(RouteRequest request, ModelSpec model, long defaultOutput) {
        if (request.endpoint() == Endpoint.EMBEDDINGS) {
            return new Estimate(request.promptTokens(), 0, 0, 1, true, false); // vectors: no output tokens
        }
        Long asked = asked(request.body());
        long maxOutput = model == null ? 0 : model.maxOutput();
        long wanted = asked != null ? asked : maxOutput > 0 ? maxOutput : defaultOutput;
        long perChoice = maxOutput > 0 ? Math.min(wanted, maxOutput) : wanted;
        long least = asked != null ? perChoice : Math.min(perChoice, defaultOutput);
        long choices = Math.max(1, request.body().path("n").asLong(1));
        return new Estimate(request.promptTokens(), perChoice, least, choices, asked != null, false);
    }

    /** Output tokens of every choice together; an overflow is simply more than any rule holds. */
    public long output() {
        return perChoice > Long.MAX_VALUE / choices ? Long.MAX_VALUE : perChoice * choices;
    }

    /** This estimate with the output the quota store granted per choice. */
    Estimate granted(long grantedPerChoice) {
        return grantedPerChoice >= perChoice ? this
                : new Estimate(prompt, grantedPerChoice, least, choices, explicit, true);
    }

    /** The client's own maximum output per choice, if it set one. */
    private static Long asked(JsonNode body) {
        for (String field : new String[]{"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                return value.asLong();
            }
        }
        return null;
    }
}

package dev.freeway.provider.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * OpenRouter. Errors are {@code {"error":{"code":<int>,"message","metadata":{...}}}}, also as SSE events inside a
 * 200 stream, where the integer code stands in for the HTTP status. The {@code :free} request quota is per account
 * and resets at 00:00 UTC; a 429 echoes the rate-limit headers, reset in epoch milliseconds, in
 * {@code metadata.headers}. Other 429s come from a busy upstream provider, named in {@code metadata.provider_name}.
 */
public final class OpenRouterDialect extends OpenAiDialect {

    /** Below this an epoch value must be seconds: milliseconds reached it in 1973. */
    private static final long SMALLEST_EPOCH_MILLIS = 100_000_000_000L;

    @Override
    Outcome family(Failure f) {
        ErrorEnvelope error = f.error();
        return switch (f.status()) {
            case 429 -> rateLimited(f);
            case 402 -> f.outcome(Kind.EXHAUSTED, "the OpenRouter account has insufficient credits")
                    .window("credits").scope(Scope.ACCOUNT);
            case 403 -> flagged(error)
                    ? f.outcome(Kind.CONTENT_FILTERED, "OpenRouter's moderation flagged the input")
                    : null;
            case 503 -> f.outcome(Kind.UPSTREAM_ERROR, "no OpenRouter provider is available for this model");
            default -> null;
        };
    }

    private static Outcome rateLimited(Failure f) {
        ErrorEnvelope error = f.error();
        Optional<Instant> reset = reset(f);
        if (error.says("free-models-per-day")) {
            return f.outcome(Kind.EXHAUSTED, "the account's daily free-model requests are used up")
                    .window("day").scope(Scope.ACCOUNT)
                    .until(reset.orElse(Windows.nextReset(Window.DAY, ZoneOffset.UTC, f.now())));
        }
        if (error.says("free-models-per-min")) {
            return f.outcome(Kind.TRANSIENT, "the account's free-model requests per minute are used up")
                    .window("minute").scope(Scope.ACCOUNT).until(reset.or(f::namedWait).orElse(null));
        }
        String provider = ErrorEnvelope.text(error.metadata().get("provider_name"));
        String summary = provider == null ? "the upstream provider is rate limited"
                : "the upstream provider " + provider + " is rate limited";
        return f.outcome(Kind.TRANSIENT, summary).scope(Scope.MODEL).until(f.namedWait().orElse(null));
    }

    /** {@code X-RateLimit-Reset} from {@code metadata.headers}, else from the response headers. */
    private static Optional<Instant> reset(Failure f) {
        String value = headerIgnoringCase(f.error().metadata().path("headers"), "x-ratelimit-reset");
        if (value == null) {
            value = f.answer().header("x-ratelimit-reset");
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            long epoch = Long.parseLong(value.strip());
            return Optional.of(epoch < SMALLEST_EPOCH_MILLIS ? Instant.ofEpochSecond(epoch) : Instant.ofEpochMilli(epoch));
        } catch (NumberFormatException notEpoch) {
            return Optional.empty();
        }
    }

    private static String headerIgnoringCase(JsonNode headers, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return ErrorEnvelope.text(field.getValue());
            }
        }
        return null;
    }

    private static boolean flagged(ErrorEnvelope error) {
        JsonNode metadata = error.metadata();
        return metadata.has("reasons") || metadata.has("flagged_input") || error.says("moderation")
                || error.says("flagged");
    }
}

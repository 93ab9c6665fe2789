package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.utcClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenRouterDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-09-07T18:30:00Z");
    /** providers.yaml openrouter errorShapes.dailyQuota */
    static final String DAILY = "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"1788825600000\"}}}}";
    private final OpenRouterDialect openrouter = new OpenRouterDialect();

    private Outcome classify(int status, String body, String... headers) {
        return openrouter.classify(answer(status, body, headers), CLOCK);
    }

    @Test
    void openrouter_free_models_per_day_parks_the_account_until_the_reset_in_epoch_millis() {
        Outcome o = classify(429, DAILY);
        assertOutcome(o, Kind.EXHAUSTED, "day", Scope.ACCOUNT, at("2026-09-08T00:00:00Z"));
        assertEquals("429", o.code());
    }

    @Test
    void openrouter_free_models_per_day_without_a_reset_waits_for_utc_midnight() {
        String body = "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"code\":429}}";
        assertOutcome(classify(429, body), Kind.EXHAUSTED, "day", Scope.ACCOUNT, at("2026-09-08T00:00:00Z"));
    }

    @Test
    void openrouter_reset_falls_back_to_the_response_header() {
        String body = "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day.\",\"code\":429,\"metadata\":{}}}";
        assertOutcome(classify(429, body, "X-RateLimit-Reset", "1788800000000"), Kind.EXHAUSTED, "day", Scope.ACCOUNT,
                at("2026-09-07T16:53:20Z"));
    }

    @Test
    void openrouter_free_models_per_minute_is_transient_for_the_account() {
        String body = "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-min.\",\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"20\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"1788805860000\"}}}}";
        assertOutcome(classify(429, body), Kind.TRANSIENT, "minute", Scope.ACCOUNT, at("2026-09-07T18:31:00Z"));
    }

    @Test
    void openrouter_busy_upstream_is_transient_for_the_model_and_names_the_provider() {
        String body = "{\"error\":{\"message\":\"Provider returned error\",\"code\":429,\"metadata\":{\"raw\":\"qwen/qwen3-coder:free is temporarily rate-limited upstream. Please retry shortly.\",\"provider_name\":\"Chutes\"}}}";
        Outcome o = classify(429, body, "Retry-After", "12");
        assertOutcome(o, Kind.TRANSIENT, null, Scope.MODEL, at("2026-09-07T18:30:12Z"));
        assertTrue(o.reason().contains("Chutes"), o.reason());
    }

    @Test
    void openrouter_402_parks_the_account_for_credits() {
        assertOutcome(classify(402, "{\"error\":{\"code\":402,\"message\":\"Your account or API key has insufficient credits.\"}}"),
                Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void openrouter_moderation_403_is_content_filtered() {
        assertKind(classify(403, "{\"error\":{\"code\":403,\"message\":\"Your chosen model requires moderation and your input was flagged for \\\"violence\\\"\",\"metadata\":{\"reasons\":[\"violence\"],\"flagged_input\":\"...\",\"provider_name\":\"OpenAI\",\"model_slug\":\"openai/gpt-4o\"}}}"),
                Kind.CONTENT_FILTERED);
    }

    @Test
    void openrouter_no_provider_503_is_an_upstream_error() {
        assertKind(classify(503, "{\"error\":{\"code\":503,\"message\":\"No allowed providers are available for the selected model.\"}}"), Kind.UPSTREAM_ERROR);
    }

    @Test
    void openrouter_bad_key_rejects_the_credential() {
        assertKind(classify(401, "{\"error\":{\"code\":401,\"message\":\"No auth credentials found\"}}"), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void openrouter_error_inside_a_200_stream_uses_the_same_envelope() {
        Outcome daily = classify(200, DAILY);
        assertOutcome(daily, Kind.EXHAUSTED, "day", Scope.ACCOUNT, at("2026-09-08T00:00:00Z"));
        assertEquals(200, daily.status());
        assertKind(classify(200, "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":502,\"message\":\"Provider disconnected\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"),
                Kind.UPSTREAM_ERROR);
        assertKind(classify(200, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}"), Kind.EXHAUSTED);
    }
}

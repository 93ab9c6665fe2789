package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.freeway.provider.dialect.Upstream.PACIFIC;
import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.clock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiDialectTest {

    /** providers.yaml google-gemini errorShapes.quotaExhaustedNative */
    static final String PER_DAY = "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\",\"quotaDimensions\":{\"location\":\"global\",\"model\":\"gemini-2.5-flash\"},\"quotaValue\":\"250\"}]},{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":\"Learn more about Gemini API quotas\",\"url\":\"https://ai.google.dev/gemini-api/docs/rate-limits\"}]},{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"22s\"}]}}";
    /** The same body with the per-minute quotaId the reference names for the other branch. */
    static final String PER_MINUTE = PER_DAY.replace("GenerateRequestsPerDayPerProjectPerModel-FreeTier",
            "GenerateContentInputTokensPerModelPerMinute-FreeTier");
    /** providers.yaml google-gemini errorShapes.quotaExhaustedOpenAICompat */
    static final String ARRAY_WRAPPED = "[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}]";
    /** providers.yaml google-gemini errorShapes.auth */
    static final String API_KEY_INVALID = "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]}}";
    /** providers.yaml google-gemini errorShapes.contextLength */
    static final String CONTEXT = "{\"error\":{\"code\":400,\"message\":\"The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).\",\"status\":\"INVALID_ARGUMENT\"}}";

    private final GeminiDialect gemini = new GeminiDialect();

    private Outcome classify(ProviderClock clock, int status, String body, String... headers) {
        return gemini.classify(answer(status, body, headers), clock);
    }

    @Test
    void gemini_per_day_quota_parks_the_model_until_midnight_pacific() {
        Outcome o = classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, PER_DAY);
        assertOutcome(o, Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-07-19T07:00:00Z"));
        assertEquals(429, o.status());
        assertTrue(o.reason().contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), o.reason());
    }

    @Test
    void gemini_per_day_quota_ignores_the_short_retry_delay_beside_it() {
        Outcome o = classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, PER_DAY);
        assertTrue(o.until().isAfter(at("2026-07-18T20:00:22Z")));
    }

    @Test
    void gemini_per_day_quota_on_the_fall_back_day_resets_at_midnight_pst() {
        assertOutcome(classify(clock("2026-11-01T10:00:00Z", PACIFIC), 429, PER_DAY),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-11-02T08:00:00Z"));
    }

    @Test
    void gemini_per_day_quota_before_the_fall_back_counts_a_twenty_five_hour_day() {
        // 01:00 PDT on 2026-11-01: a clock that kept the current offset would answer 07:00Z
        assertOutcome(classify(clock("2026-11-01T08:00:00Z", PACIFIC), 429, PER_DAY),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-11-02T08:00:00Z"));
    }

    @Test
    void gemini_per_day_quota_on_the_spring_forward_day_resets_at_midnight_pdt() {
        assertOutcome(classify(clock("2026-03-08T09:00:00Z", PACIFIC), 429, PER_DAY),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-03-09T07:00:00Z"));
        assertOutcome(classify(clock("2026-03-08T10:00:00Z", PACIFIC), 429, PER_DAY),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-03-09T07:00:00Z"));
        assertOutcome(classify(clock("2026-03-08T07:30:00Z", PACIFIC), 429, PER_DAY),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-03-08T08:00:00Z"));
    }

    @Test
    void gemini_per_minute_quota_waits_the_retry_delay() {
        assertOutcome(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, PER_MINUTE),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-07-18T20:00:22Z"));
    }

    @Test
    void gemini_fractional_retry_delay_is_kept() {
        String body = PER_MINUTE.replace("\"retryDelay\":\"22s\"", "\"retryDelay\":\"0.5s\"");
        assertOutcome(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, body),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-07-18T20:00:00.500Z"));
    }

    @Test
    void gemini_array_wrapped_429_without_details_waits_a_minute() {
        Outcome o = classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, ARRAY_WRAPPED);
        assertOutcome(o, Kind.TRANSIENT, null, Scope.MODEL, at("2026-07-18T20:01:00Z"));
        assertEquals("RESOURCE_EXHAUSTED", o.code());
    }

    @Test
    void gemini_array_wrapped_429_honours_retry_after_when_sent() {
        assertOutcome(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 429, ARRAY_WRAPPED, "Retry-After", "7"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-07-18T20:00:07Z"));
    }

    @Test
    void gemini_default_wait_is_configurable() {
        Outcome o = new GeminiDialect(Duration.ofSeconds(15)).classify(answer(429, ARRAY_WRAPPED),
                clock("2026-07-18T20:00:00Z", PACIFIC));
        assertEquals(at("2026-07-18T20:00:15Z"), o.until());
    }

    @Test
    void gemini_invalid_key_is_a_400_that_rejects_the_credential() {
        Outcome o = classify(clock("2026-07-18T20:00:00Z", PACIFIC), 400, API_KEY_INVALID);
        assertKind(o, Kind.CREDENTIALS_REJECTED);
        assertEquals(400, o.status());
    }

    @Test
    void gemini_input_token_count_over_the_maximum_is_context_too_long() {
        assertKind(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 400, CONTEXT), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void gemini_other_bad_requests_stay_the_clients() {
        assertKind(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 400, "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received. Unknown name \\\"foo\\\"\",\"status\":\"INVALID_ARGUMENT\"}}"), Kind.CLIENT_ERROR);
    }

    @Test
    void gemini_overloaded_503_is_an_upstream_error() {
        assertKind(classify(clock("2026-07-18T20:00:00Z", PACIFIC), 503, "[{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}]"), Kind.UPSTREAM_ERROR);
    }
}

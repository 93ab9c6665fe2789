package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.RateLimitReport;
import org.junit.jupiter.api.Test;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.utcClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroqDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-10-01T12:00:00Z");
    /** providers.yaml groq errorShapes.rateLimit */
    static final String TPD = "{\"error\":{\"message\":\"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_01m1wxvf55eaz8efnp1ztvd88j` service tier `on_demand` on tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}";
    /** providers.yaml groq errorShapes.requestTooLarge */
    static final String TOO_LARGE = "{\"error\":{\"message\":\"Request too large for model `...` in organization `...` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Requested 24187, please reduce your message size and try again.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}";
    /** providers.yaml groq errorShapes.auth */
    static final String AUTH = "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
    /** providers.yaml groq errorShapes.contextLength */
    static final String CONTEXT = "{\"error\":{\"message\":\"Please reduce the length of the messages or completion.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}";
    /** providers.yaml groq errorShapes.decommissioned */
    static final String DECOMMISSIONED = "{\"error\":{\"message\":\"The model `mixtral-8x7b-32768` has been decommissioned and is no longer supported...\",\"type\":\"invalid_request_error\",\"code\":\"model_decommissioned\"}}";

    private final GroqDialect groq = new GroqDialect();

    private Outcome classify(int status, String body, String... headers) {
        return groq.classify(answer(status, body, headers), CLOCK);
    }

    private static String withLimit(String body, String from, String to) {
        return body.replace(from, to);
    }

    @Test
    void groq_tpd_message_parks_the_model_until_the_named_time() {
        Outcome o = classify(429, TPD, "retry-after", "391");
        assertOutcome(o, Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-10-01T12:06:30.096Z"));
        assertEquals("rate_limit_exceeded", o.code());
        assertTrue(o.reason().contains("TPD"), o.reason());
    }

    @Test
    void groq_rpd_message_parks_the_model_for_the_day() {
        String rpd = withLimit(TPD, "tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s.",
                "requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 2m59.56s.");
        assertOutcome(classify(429, rpd), Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-10-01T12:02:59.560Z"));
    }

    @Test
    void groq_tpm_message_is_transient_for_the_named_wait() {
        String tpm = withLimit(TPD, "tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s.",
                "tokens per minute (TPM): Limit 8000, Used 7500, Requested 1010. Please try again in 7.66s.");
        assertOutcome(classify(429, tpm, "retry-after", "8"), Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:00:07.660Z"));
    }

    @Test
    void groq_rpm_message_without_a_wait_falls_back_to_retry_after() {
        String rpm = withLimit(TPD, "tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s.",
                "requests per minute (RPM): Limit 30, Used 30, Requested 1.");
        assertOutcome(classify(429, rpm, "retry-after", "2"), Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:00:02Z"));
    }

    @Test
    void groq_429_without_a_named_limit_is_a_plain_transient() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Too many requests\"}}", "retry-after", "3"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-10-01T12:00:03Z"));
    }

    @Test
    void groq_request_larger_than_the_tpm_budget_moves_to_a_larger_model() {
        Outcome o = classify(413, TOO_LARGE);
        assertKind(o, Kind.CONTEXT_TOO_LONG);
        assertTrue(o.reason().contains("can never fit"), o.reason());
    }

    @Test
    void groq_invalid_api_key_rejects_the_credential() {
        assertKind(classify(401, AUTH), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void groq_context_length_exceeded_is_context_too_long() {
        assertKind(classify(400, CONTEXT), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void groq_decommissioned_model_is_a_client_error() {
        Outcome o = classify(400, DECOMMISSIONED);
        assertKind(o, Kind.CLIENT_ERROR);
        assertEquals("model_decommissioned", o.code());
    }

    @Test
    void groq_headers_report_requests_per_day_and_tokens_per_minute() {
        RateLimitReport r = groq.report(answer(200, "{}", "x-ratelimit-limit-requests", "1000", "x-ratelimit-remaining-requests", "998",
                "x-ratelimit-reset-requests", "2m59.56s", "x-ratelimit-limit-tokens", "8000", "x-ratelimit-remaining-tokens", "7300",
                "x-ratelimit-reset-tokens", "7.66s"), at("2026-10-01T12:00:00Z"));
        assertEquals(new RateLimitReport(1000L, 998L, at("2026-10-01T12:02:59.560Z"), "day",
                8000L, 7300L, at("2026-10-01T12:00:07.660Z"), "minute"), r);
    }

    @Test
    void groq_report_without_headers_is_empty() {
        assertTrue(groq.report(answer(200, "{}"), at("2026-10-01T12:00:00Z")).isEmpty());
        assertFalse(groq.report(answer(429, TPD, "x-ratelimit-remaining-tokens", "0"), at("2026-10-01T12:00:00Z")).isEmpty());
    }
}

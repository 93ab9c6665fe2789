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

/** The reference captured no exact Cerebras 429 body, so these use the OpenAI envelope with its documented wording. */
class CerebrasDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-07-18T10:00:00Z");
    private final CerebrasDialect cerebras = new CerebrasDialect();

    private Outcome classify(int status, String body, String... headers) {
        return cerebras.classify(answer(status, body, headers), CLOCK);
    }

    @Test
    void cerebras_token_bucket_429_is_transient() {
        assertOutcome(classify(429, "{\"message\":\"Tokens per minute limit exceeded - too many tokens processed.\",\"type\":\"too_many_tokens_error\",\"param\":\"quota\",\"code\":\"token_quota_exceeded\"}", "retry-after", "4"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-07-18T10:00:04Z"));
    }

    @Test
    void cerebras_tokens_per_day_429_parks_the_model_for_the_day() {
        assertOutcome(classify(429, "{\"message\":\"Tokens per day limit exceeded - too many tokens processed.\",\"type\":\"too_many_tokens_error\",\"param\":\"quota\",\"code\":\"token_quota_exceeded\"}", "retry-after", "3600"),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-07-18T11:00:00Z"));
    }

    @Test
    void cerebras_requests_per_day_429_takes_its_end_from_the_daily_reset_header() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Requests per day limit exceeded\",\"type\":\"too_many_requests_error\"}}", "x-ratelimit-reset-requests-day", "33011.382867"),
                Kind.EXHAUSTED, "day", Scope.MODEL, at("2026-07-18T19:10:11.382867Z"));
    }

    @Test
    void cerebras_bare_400_or_413_without_a_body_is_context_too_long() {
        assertKind(classify(400, ""), Kind.CONTEXT_TOO_LONG);
        assertKind(classify(413, null), Kind.CONTEXT_TOO_LONG);
        assertKind(classify(400, "400 status code (no body)"), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void cerebras_context_message_is_context_too_long() {
        assertKind(classify(400, "{\"message\":\"Please reduce the length of the messages or completion. Current length is 140000 while limit is 131072\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}"), Kind.CONTEXT_TOO_LONG);
        assertKind(classify(413, "{\"error\":{\"message\":\"Request too large\"}}"), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void cerebras_other_bad_request_is_the_clients() {
        assertKind(classify(400, "{\"message\":\"Unsupported parameter: logit_bias\",\"type\":\"invalid_request_error\",\"param\":\"logit_bias\",\"code\":\"wrong_api_format\"}"), Kind.CLIENT_ERROR);
    }

    @Test
    void cerebras_reports_requests_per_day_and_tokens_per_minute() {
        RateLimitReport r = cerebras.report(answer(200, "{}", "x-ratelimit-limit-requests-day", "14400", "x-ratelimit-remaining-requests-day", "14399",
                "x-ratelimit-reset-requests-day", "33011.382867", "x-ratelimit-limit-tokens-minute", "30000",
                "x-ratelimit-remaining-tokens-minute", "29000", "x-ratelimit-reset-tokens-minute", "11.38"), at("2026-07-18T10:00:00Z"));
        assertEquals(new RateLimitReport(14400L, 14399L, at("2026-07-18T19:10:11.382867Z"), "day",
                30000L, 29000L, at("2026-07-18T10:00:11.380Z"), "minute"), r);
    }
}

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
import static org.junit.jupiter.api.Assertions.assertNull;

class OpenAiDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-11-24T12:00:00Z");
    private final OpenAiDialect dialect = new OpenAiDialect();

    private Outcome classify(int status, String body, String... headers) {
        return dialect.classify(answer(status, body, headers), CLOCK);
    }

    @Test
    void a_401_rejects_the_credential() {
        Outcome o = classify(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-abcdef1234567890\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        assertKind(o, Kind.CREDENTIALS_REJECTED);
        assertEquals(401, o.status());
        assertEquals("invalid_api_key", o.code());
        assertEquals(-1, o.reason().indexOf("sk-proj-abcdef1234567890"), o.reason());
    }

    @Test
    void a_403_about_the_key_rejects_the_credential_even_without_a_body() {
        assertKind(classify(403, "{\"error\":{\"message\":\"Permission denied: API key is disabled\"}}"), Kind.CREDENTIALS_REJECTED);
        assertKind(classify(403, ""), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void a_403_about_something_else_is_the_clients() {
        assertKind(classify(403, "{\"error\":{\"message\":\"Country, region, or territory not supported\",\"code\":\"unsupported_country_region_territory\"}}"), Kind.CLIENT_ERROR);
    }

    @Test
    void a_402_parks_the_account_for_credits() {
        assertOutcome(classify(402, "{\"error\":{\"message\":\"Insufficient credits\"}}"), Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void a_429_with_retry_after_waits_that_long() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "Retry-After", "17"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-11-24T12:00:17Z"));
    }

    @Test
    void a_429_with_an_http_date_retry_after_waits_until_that_date() {
        assertOutcome(classify(429, "", "Retry-After", "Tue, 24 Nov 2026 12:03:00 GMT"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-11-24T12:03:00Z"));
    }

    @Test
    void a_429_naming_the_wait_in_its_message_waits_that_long() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4o on tokens per min (TPM). Please try again in 1.5s.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-11-24T12:00:01.500Z"));
    }

    @Test
    void a_429_that_names_no_wait_leaves_until_open() {
        assertOutcome(classify(429, "too many"), Kind.TRANSIENT, null, Scope.MODEL, null);
    }

    @Test
    void openais_insufficient_quota_is_exhausted_credits_not_a_rate() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"),
                Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void a_408_is_transient() {
        assertKind(classify(408, "Request Timeout"), Kind.TRANSIENT);
    }

    @Test
    void server_failures_and_html_gateway_pages_are_the_providers() {
        for (int status : new int[] {500, 502, 503, 504}) {
            Outcome o = classify(status, "<html><head><title>" + status + " Bad Gateway</title></head><body>nginx</body></html>");
            assertKind(o, Kind.UPSTREAM_ERROR);
            assertEquals(status, o.status());
        }
        assertKind(classify(500, "{\"error\":{\"message\":\"The server had an error"), Kind.UPSTREAM_ERROR);
        assertKind(classify(503, ""), Kind.UPSTREAM_ERROR);
    }

    @Test
    void bad_requests_are_the_clients() {
        assertKind(classify(400, "{\"error\":{\"message\":\"Unrecognized request argument supplied: foo\",\"type\":\"invalid_request_error\"}}"), Kind.CLIENT_ERROR);
        assertKind(classify(404, "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"code\":\"model_not_found\"}}"), Kind.CLIENT_ERROR);
        assertKind(classify(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]}"), Kind.CLIENT_ERROR);
        assertKind(classify(413, ""), Kind.CLIENT_ERROR);
    }

    @Test
    void a_context_length_message_asks_for_a_larger_model() {
        assertKind(classify(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"), Kind.CONTEXT_TOO_LONG);
        assertKind(classify(400, "{\"error\":{\"message\":\"Please reduce the length of the messages or completion.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"), Kind.CONTEXT_TOO_LONG);
        assertKind(classify(413, "{\"error\":{\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void a_content_policy_code_is_content_filtered() {
        assertKind(classify(400, "{\"error\":{\"message\":\"Your request was rejected as a result of our safety system.\",\"code\":\"content_policy_violation\"}}"), Kind.CONTENT_FILTERED);
    }

    @Test
    void no_answer_at_all_is_the_providers() {
        Outcome o = classify(0, null);
        assertKind(o, Kind.UPSTREAM_ERROR);
        assertEquals(0, o.status());
    }

    @Test
    void a_stream_error_event_with_an_http_like_code_is_read_as_that_status_but_reports_200() {
        Outcome o = classify(200, "{\"error\":{\"code\":502,\"message\":\"Provider returned error\"}}");
        assertKind(o, Kind.UPSTREAM_ERROR);
        assertEquals(200, o.status());
        assertKind(classify(200, "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}}"), Kind.TRANSIENT);
        assertKind(classify(200, "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"), Kind.TRANSIENT);
        assertKind(classify(200, "{\"error\":{\"message\":\"something broke\"}}"), Kind.UPSTREAM_ERROR);
    }

    @Test
    void a_plain_success_body_is_ok() {
        assertEquals(Outcome.OK, classify(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"));
    }

    @Test
    void reports_generic_rate_limit_headers_without_naming_windows() {
        var report = dialect.report(answer(200, "", "x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "499",
                "x-ratelimit-reset-requests", "120ms", "x-ratelimit-limit-tokens", "30000", "x-ratelimit-remaining-tokens", "29000",
                "x-ratelimit-reset-tokens", "2s"), at("2026-11-24T12:00:00Z"));
        assertEquals(500L, report.limitRequests());
        assertEquals(499L, report.remainingRequests());
        assertEquals(at("2026-11-24T12:00:00.120Z"), report.resetRequests());
        assertEquals(at("2026-11-24T12:00:02Z"), report.resetTokens());
        assertNull(report.requestsWindow());
        assertNull(report.tokensWindow());
    }

    @Test
    void reports_nothing_when_no_header_is_readable() {
        assertEquals(true, dialect.report(answer(200, "", "x-ratelimit-limit-requests", "lots"), at("2026-11-24T12:00:00Z")).isEmpty());
    }
}

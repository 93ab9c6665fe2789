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
import static dev.freeway.provider.dialect.Upstream.clock;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DashScopeDialectTest {

    private static final ProviderClock CLOCK = clock("2026-10-01T12:00:00Z", java.time.ZoneId.of("Asia/Singapore"));
    private final DashScopeDialect dashscope = new DashScopeDialect();

    /** The compatible-mode envelope of providers.yaml dashscope-intl errorShapes, with code and message filled in. */
    private static String compat(String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + code + "\",\"param\":null,\"code\":\"" + code
                + "\"},\"request_id\":\"a3a281e3-0610-974a-8fb2-47401f693b8b\"}";
    }

    /** The native API's top-level code and message. */
    private static String nativeBody(String code, String message) {
        return "{\"request_id\":\"a3a281e3-0610-974a-8fb2-47401f693b8b\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    private Outcome classify(int status, String body) {
        return dashscope.classify(answer(status, body), CLOCK);
    }

    @Test
    void dashscope_requests_per_minute_waits_a_minute() {
        assertOutcome(classify(429, compat("limit_requests", "Requests rate limit exceeded, please try again later.")),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:01:00Z"));
        assertOutcome(classify(429, nativeBody("Throttling.RateQuota", "You exceeded your current requests list.")),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:01:00Z"));
    }

    @Test
    void dashscope_insufficient_quota_is_tokens_per_minute_not_billing() {
        assertOutcome(classify(429, compat("insufficient_quota", "You exceeded your current quota, please check your plan and billing details.")),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:01:00Z"));
        assertOutcome(classify(429, nativeBody("Throttling.AllocationQuota", "Allocated quota exceeded, please increase your quota limit.")),
                Kind.TRANSIENT, "minute", Scope.MODEL, at("2026-10-01T12:01:00Z"));
    }

    @Test
    void dashscope_burst_rate_waits_a_few_seconds() {
        String message = "Request rate increased too quickly. To ensure system stability, please adjust your client logic to scale requests more smoothly over time.";
        assertOutcome(classify(429, compat("limit_burst_rate", message)), Kind.TRANSIENT, null, Scope.MODEL, at("2026-10-01T12:00:05Z"));
        assertOutcome(classify(429, nativeBody("Throttling.BurstRate", message)), Kind.TRANSIENT, null, Scope.MODEL, at("2026-10-01T12:00:05Z"));
    }

    @Test
    void dashscope_free_allocated_quota_exceeded_parks_the_model_for_good() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Free allocated quota exceeded.\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"),
                Kind.EXHAUSTED, "grant", Scope.MODEL, null);
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Free allocated quota exceeded.\"}}"),
                Kind.EXHAUSTED, "grant", Scope.MODEL, null);
    }

    @Test
    void dashscope_free_tier_only_403_parks_the_model_for_good() {
        Outcome o = classify(403, compat("AllocationQuota.FreeTierOnly", "The free tier of the model has been exhausted. If you wish to continue access the model on a paid basis, please disable the \\\"use free tier only\\\" mode in the management console."));
        assertOutcome(o, Kind.EXHAUSTED, "grant", Scope.MODEL, null);
        assertEquals("AllocationQuota.FreeTierOnly", o.code());
    }

    @Test
    void dashscope_arrearage_parks_the_account_for_credits() {
        assertOutcome(classify(400, compat("Arrearage", "Access denied, please make sure your account is in good standing.")),
                Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void dashscope_invalid_api_key_rejects_the_credential() {
        // providers.yaml dashscope-intl errorShapes.auth
        assertKind(classify(401, "{\"error\":{\"message\":\"Incorrect API key provided. For details, see: https://www.alibabacloud.com/help/en/model-studio/error-code#apikey-error\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"},\"request_id\":\"a3a281e3-0610-974a-8fb2-47401f693b8b\"}"),
                Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void dashscope_data_inspection_failed_is_content_filtered() {
        // providers.yaml dashscope-intl errorShapes.contentFilter
        assertKind(classify(400, "{\"error\":{\"code\":\"data_inspection_failed\",\"param\":null,\"message\":\"Input text data may contain inappropriate content.\",\"type\":\"data_inspection_failed\"}}"),
                Kind.CONTENT_FILTERED);
    }

    @Test
    void dashscope_input_length_range_is_context_too_long() {
        assertKind(classify(400, compat("InvalidParameter", "Range of input length should be [1, 129024]")), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void dashscope_thinking_parameter_error_stays_the_clients() {
        assertKind(classify(400, compat("invalid_parameter_error", "parameter.enable_thinking must be set to false for non-streaming calls")), Kind.CLIENT_ERROR);
    }
}

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoonshotDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-09-29T08:00:00Z");
    private final MoonshotDialect moonshot = new MoonshotDialect();

    private Outcome classify(int status, String body, String... headers) {
        return moonshot.classify(answer(status, body, headers), CLOCK);
    }

    @Test
    void moonshot_rate_limit_waits_the_seconds_in_the_message_for_the_whole_account() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"Organization Rate limit exceeded, please try again after 1 seconds\",\"type\":\"rate_limit_reached_error\"}}"),
                Kind.TRANSIENT, null, Scope.ACCOUNT, at("2026-09-29T08:00:01Z"));
    }

    @Test
    void moonshot_overload_waits_for_retry_after() {
        assertOutcome(classify(429, "{\"error\":{\"message\":\"The engine is currently overloaded, please try again later\",\"type\":\"engine_overloaded_error\"}}", "Retry-After", "3"),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-09-29T08:00:03Z"));
    }

    @Test
    void moonshot_empty_balance_parks_the_account_and_never_echoes_the_key() {
        Outcome o = classify(429, "{\"error\":{\"message\":\"Your account org-xxx <ak-xxx> is suspended due to insufficient balance, please recharge your account or check your plan and billing details\",\"type\":\"exceeded_current_quota_error\"}}");
        assertOutcome(o, Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
        assertFalse(o.reason().contains("ak-xxx"), o.reason());
        Outcome real = classify(429, "{\"error\":{\"message\":\"Your account org-4f1c2 <ak-f3k9x2mq7v8w1z> is suspended due to insufficient balance\",\"type\":\"exceeded_current_quota_error\"}}");
        assertFalse(real.reason().contains("ak-f3k9x2mq7v8w1z"), real.reason());
        assertTrue(real.reason().contains("insufficient balance"), real.reason());
    }

    @Test
    void moonshot_bad_key_rejects_the_credential() {
        assertKind(classify(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"incorrect_api_key_error\"}}"), Kind.CREDENTIALS_REJECTED);
        assertKind(classify(401, "{\"error\":{\"message\":\"Invalid Authentication\",\"type\":\"invalid_authentication_error\"}}"), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void moonshot_high_risk_request_is_content_filtered() {
        assertKind(classify(400, "{\"error\":{\"message\":\"The request was rejected because it was considered high risk\",\"type\":\"content_filter\"}}"), Kind.CONTENT_FILTERED);
    }

    @Test
    void moonshot_model_token_limit_is_context_too_long() {
        assertKind(classify(400, "{\"error\":{\"message\":\"Invalid request: Your request exceeded model token limit: 262144\",\"type\":\"invalid_request_error\"}}"), Kind.CONTEXT_TOO_LONG);
    }

    @Test
    void moonshot_unknown_model_is_a_client_error() {
        assertKind(classify(404, "{\"error\":{\"message\":\"Not found the model kimi-k9 or Permission denied\",\"type\":\"resource_not_found_error\"}}"), Kind.CLIENT_ERROR);
    }

    @Test
    void moonshot_gateway_timeout_page_is_an_upstream_error() {
        assertKind(classify(504, "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>"), Kind.UPSTREAM_ERROR);
    }
}

package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.clock;
import static dev.freeway.provider.dialect.Upstream.utcClock;

class HuggingFaceDialectTest {

    /** providers.yaml huggingface-router errorShapes.creditsExhausted */
    static final String CREDITS = "{\"error\":\"You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.\"}";
    private final HuggingFaceDialect hf = new HuggingFaceDialect();

    @Test
    void huggingface_monthly_credits_park_the_account_until_the_first_of_next_month_utc() {
        assertOutcome(hf.classify(answer(402, CREDITS), utcClock("2026-08-22T15:30:00Z")),
                Kind.EXHAUSTED, "month", Scope.ACCOUNT, at("2026-09-01T00:00:00Z"));
    }

    @Test
    void huggingface_december_credits_come_back_in_january() {
        assertOutcome(hf.classify(answer(402, CREDITS), utcClock("2026-12-31T23:59:00Z")),
                Kind.EXHAUSTED, "month", Scope.ACCOUNT, at("2027-01-01T00:00:00Z"));
    }

    @Test
    void huggingface_month_is_counted_in_utc_whatever_the_clock_zone() {
        assertOutcome(hf.classify(answer(402, CREDITS), clock("2026-09-01T02:00:00Z", Upstream.PACIFIC)),
                Kind.EXHAUSTED, "month", Scope.ACCOUNT, at("2026-10-01T00:00:00Z"));
    }

    @Test
    void huggingface_other_402_is_plain_credits() {
        assertOutcome(hf.classify(answer(402, "{\"error\":\"Payment required: add a payment method\"}"), utcClock("2026-08-22T15:30:00Z")),
                Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void huggingface_string_error_on_other_statuses_follows_the_generic_rules() {
        assertKind(hf.classify(answer(401, "{\"error\":\"Invalid credentials in Authorization header\"}"), utcClock("2026-08-22T15:30:00Z")), Kind.CREDENTIALS_REJECTED);
        assertKind(hf.classify(answer(400, "{\"error\":\"Model openai/gpt-oss-120b:nobody is not supported by provider nobody\"}"), utcClock("2026-08-22T15:30:00Z")), Kind.CLIENT_ERROR);
    }
}

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

class MistralDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-10-01T09:00:00Z");
    /** providers.yaml mistral errorShapes.capacity */
    static final String CAPACITY = "{\"object\":\"error\",\"message\":\"Capacity exceeded for this model.\",\"type\":\"engine_max_pending_tokens\",\"param\":null,\"code\":\"3810\",\"raw_status_code\":429}";
    private final MistralDialect mistral = new MistralDialect();

    @Test
    void mistral_capacity_3810_is_transient() {
        Outcome o = mistral.classify(answer(429, CAPACITY, "Retry-After", "2"), CLOCK);
        assertOutcome(o, Kind.TRANSIENT, null, Scope.MODEL, at("2026-10-01T09:00:02Z"));
        assertEquals("3810", o.code());
    }

    @Test
    void mistral_capacity_inside_a_stream_is_transient() {
        assertKind(mistral.classify(answer(200, CAPACITY), CLOCK), Kind.TRANSIENT);
    }

    @Test
    void mistral_unauthorized_rejects_the_credential() {
        assertKind(mistral.classify(answer(401, "{\"detail\":\"Unauthorized\"}"), CLOCK), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void mistral_reports_per_minute_figures() {
        RateLimitReport r = mistral.report(answer(200, "{}", "x-ratelimit-limit-req-minute", "60", "x-ratelimit-remaining-req-minute", "59",
                "x-ratelimit-limit-tokens-minute", "500000", "x-ratelimit-remaining-tokens-minute", "499000"), at("2026-10-01T09:00:00Z"));
        assertEquals(new RateLimitReport(60L, 59L, null, "minute", 500000L, 499000L, null, "minute"), r);
    }
}

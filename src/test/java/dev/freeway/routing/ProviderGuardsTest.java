package dev.freeway.routing;

import dev.freeway.config.ProviderPool;
import dev.freeway.provider.Outcome;
import dev.freeway.support.ConfigFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are retried on the same account, and how long the retry waits. */
class ProviderGuardsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final ProviderPool lab = ConfigFixture.pool(ConfigFixture.config("""
            freeway:
              providers:
                lab:
                  type: openai-compatible
                  base-url: http://127.0.0.1:9/v1
                  models:
                    m: { context-window: 8192 }
                  accounts:
                    - { id: a, api-key: none }
            """)).provider("lab").orElseThrow();

    @Test
    void a_short_rate_limit_is_retried_after_the_parking_its_failure_wrote_has_gone() {
        // Groq: "Please try again in 1.2s"; the failure parked the model until then
        Outcome limited = new Outcome(Outcome.Kind.TRANSIENT, "rate limited", NOW.plusMillis(1200), null,
                Outcome.Scope.MODEL, 429, "rate_limit_exceeded");
        assertTrue(ProviderGuards.retryable(lab, limited, NOW));
        Duration wait = ProviderGuards.backoff(lab, 1, limited, NOW);
        assertTrue(wait.compareTo(Duration.ofMillis(1200)) > 0, "a retry at the parking's last millisecond finds it"
                + " still there and is lost: " + wait);
        assertTrue(wait.compareTo(Duration.ofMillis(1300)) < 0, wait.toString());
    }

    @Test
    void a_failure_that_names_no_time_waits_the_growing_delay_and_a_long_rate_limit_is_routed_around() {
        Outcome failed = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 503, "upstream_error", "overloaded");
        assertEquals(Duration.ofMillis(200), ProviderGuards.backoff(lab, 1, failed, NOW));
        assertEquals(Duration.ofMillis(400), ProviderGuards.backoff(lab, 2, failed, NOW));
        Outcome longLimit = new Outcome(Outcome.Kind.TRANSIENT, "rate limited", NOW.plusSeconds(40), null,
                Outcome.Scope.MODEL, 429, "rate_limit_exceeded");
        assertTrue(!ProviderGuards.retryable(lab, longLimit, NOW), "40 s is longer than the retry's longest delay");
    }
}

package dev.freeway.status;

import dev.freeway.support.ConfigFixture;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capacity report for the pool of issue 12 (one account each at groq, google-gemini, dashscope-intl and
 * openrouter, catalog defaults): every figure bounded by every rule that binds it, and no free tier promised more
 * than it gives.
 */
class CatalogCapacityTest {

    static final String POOL = """
            freeway:
              providers:
                groq: { accounts: [{ id: a, api-key: k }] }
                google-gemini: { accounts: [{ id: p, api-key: k }] }
                dashscope-intl: { accounts: [{ id: d, api-key: k }] }
                openrouter: { accounts: [{ id: o, api-key: k }] }
            """;

    final Capacity.Report report = new CapacityCalculator(Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"),
            ZoneOffset.UTC)).pool(ConfigFixture.pool(ConfigFixture.config(POOL)));

    @Test
    void no_model_carries_more_tokens_a_day_than_its_requests_can() {
        for (Capacity.ProviderCapacity provider : report.providers()) {
            for (Capacity.ModelRow row : provider.byAccount().get(0).models()) {
                if (row.requestsPerDay() != null && row.tokensPerDay() != null) {
                    assertTrue(row.tokensPerDay() <= row.requestsPerDay() * row.tokensPerRequest(),
                            provider.name() + "/" + row.model() + ": " + row);
                }
            }
        }
    }

    @Test
    void gemini_flash_gives_twenty_requests_of_at_most_a_minutes_tokens() {
        Capacity.ModelRow flash = row("google-gemini", "gemini-2.5-flash");
        assertEquals(20, flash.requestsPerDay());
        assertEquals(5_000_000, flash.tokensPerDay());
        Capacity.Figures free = provider("google-gemini").capacity().free();
        assertTrue(free.noPublishedLimitRequests().contains("gemini-3.8-flash"), free.toString());
        Capacity.Figures paid = provider("google-gemini").capacity().paidCeiling();
        assertTrue(paid.noPublishedLimitRequests().contains("gemini-2.5-pro"), "not free since 2025-12: " + paid);
        assertEquals("paid", row("google-gemini", "gemini-2.5-pro").tier());
        assertEquals("no published limit", row("google-gemini", "gemini-2.5-pro").note());
    }

    @Test
    void dashscope_free_part_is_its_grants_and_its_rate_limits_a_paid_ceiling() {
        Capacity.ProviderCapacity dashscope = provider("dashscope-intl");
        assertEquals(0, dashscope.capacity().free().requestsPerDay());
        assertEquals(0, dashscope.capacity().free().tokensPerDay());
        assertTrue(dashscope.capacity().paidCeiling().requestsPerDay() > 0);
        assertNull(dashscope.capacity().paidCeiling().valuePerMonthUsd());
        // text-embedding-v4's one-time tokens buy vectors, not chat: they are not among the pool's chat grants
        assertEquals(List.of("qwen-plus", "qwen-max", "qwen-turbo"),
                dashscope.grants().stream().map(Capacity.Grant::model).toList());
    }

    @Test
    void the_free_value_is_what_the_requests_would_cost_and_adds_up() {
        double sum = 0;
        for (Capacity.ProviderCapacity provider : report.providers()) {
            double models = provider.byAccount().get(0).models().stream()
                    .mapToDouble(m -> m.valuePerMonthUsd() == null ? 0 : m.valuePerMonthUsd()).sum();
            assertEquals(provider.capacity().free().valuePerMonthUsd(), models, 1e-9, provider.name());
            sum += models;
        }
        assertEquals(report.total().free().valuePerMonthUsd(), sum, 1e-9);
        assertTrue(sum > 0 && sum < 100, "four free accounts are worth tens of dollars a month, not thousands: " + sum);
        System.out.printf("free value of the issue's pool: $%.2f a month%n", sum);
    }

    private Capacity.ProviderCapacity provider(String name) {
        return report.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private Capacity.ModelRow row(String provider, String model) {
        return provider(provider).byAccount().get(0).models().stream().filter(m -> m.model().equals(model))
                .findFirst().orElseThrow();
    }
}

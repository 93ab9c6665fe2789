package dev.freeway.demo;

import dev.freeway.catalog.DialectName;
import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;
import dev.freeway.provider.dialect.Dialects;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each simulator runs out the way its provider does, and Freeway's dialect for that provider reads it right. */
class SimulatorDialectTest {

    private static final Instant NOW = Instant.parse("2026-10-01T12:00:47.500Z");
    private static final Instant NEXT_MINUTE = Instant.parse("2026-10-01T12:01:00Z");

    @Test
    void groq_simulator_says_rpm_with_the_wait_and_freeway_waits_exactly_that_long() {
        GroqSimulator groq = new GroqSimulator();
        SimulatedQuota.Verdict served = null;
        for (int i = 0; i < 4; i++) {
            served = groq.quota().take("demo-fast", NOW);
            assertTrue(served.admitted());
        }
        Map<String, String> headers = groq.servedHeaders(served, NOW);
        assertEquals("16", headers.get("x-ratelimit-remaining-requests"));
        assertEquals("11h59m12.5s", headers.get("x-ratelimit-reset-requests"));
        SimulatedQuota.Verdict refused = groq.quota().take("demo-fast", NOW);
        assertFalse(refused.admitted());
        SimulatedProvider.Refusal refusal = groq.refusal("demo-fast", refused, NOW);
        assertTrue(refusal.body().contains("requests per minute (RPM): Limit 4, Used 4, Requested 1. Please try again"
                + " in 12.5s."), refusal.body());
        assertEquals("13", refusal.headers().get("retry-after"));

        Outcome outcome = classify("groq", refusal, ZoneOffset.UTC);
        assertEquals(Outcome.Kind.TRANSIENT, outcome.kind(), outcome.reason());
        assertEquals(Outcome.Scope.MODEL, outcome.scope());
        assertEquals(NEXT_MINUTE, outcome.until());
        RateLimitReport report = Dialects.of(DialectName.GROQ).report(answer(refusal), NOW);
        assertEquals(16L, report.remainingRequests());
        assertTrue(groq.quota().take("demo-smart", NOW).admitted(), "Groq counts per model");
    }

    @Test
    void groq_simulator_out_for_the_day_parks_the_model_until_midnight_utc() {
        GroqSimulator groq = new GroqSimulator();
        Instant minute = Instant.parse("2026-10-01T00:00:00Z");
        for (int i = 0; i < 20; i++) {
            assertTrue(groq.quota().take("demo-fast", minute.plus(Duration.ofMinutes(i))).admitted());
        }
        SimulatedQuota.Verdict refused = groq.quota().take("demo-fast", NOW);
        Outcome outcome = classify("groq", groq.refusal("demo-fast", refused, NOW), ZoneOffset.UTC);
        assertEquals(Outcome.Kind.EXHAUSTED, outcome.kind(), outcome.reason());
        assertEquals(Instant.parse("2026-10-02T00:00:00Z"), outcome.until());
    }

    @Test
    void gemini_simulator_sends_the_bare_compat_429_per_minute_and_the_per_day_quota_id_per_day() {
        GeminiSimulator gemini = new GeminiSimulator();
        ZoneId pacific = ZoneId.of("America/Los_Angeles");
        for (int i = 0; i < 5; i++) {
            assertTrue(gemini.quota().take("demo-smart", NOW).admitted());
        }
        SimulatedProvider.Refusal minute = gemini.refusal("demo-smart", gemini.quota().take("demo-smart", NOW), NOW);
        assertTrue(minute.body().startsWith("[{\"error\""), minute.body());
        assertEquals(Outcome.Kind.TRANSIENT, classify("gemini", minute, pacific).kind());

        GeminiSimulator spent = new GeminiSimulator();
        for (int i = 0; i < 20; i++) {
            assertTrue(spent.quota().take("demo-smart", NOW.minus(Duration.ofMinutes(i))).admitted());
        }
        SimulatedProvider.Refusal day = spent.refusal("demo-smart", spent.quota().take("demo-smart", NOW), NOW);
        assertTrue(day.body().contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), day.body());
        Outcome outcome = classify("gemini", day, pacific);
        assertEquals(Outcome.Kind.EXHAUSTED, outcome.kind(), outcome.reason());
        assertEquals(Instant.parse("2026-10-02T07:00:00Z"), outcome.until(), "midnight Pacific (PDT)");
    }

    @Test
    void openrouter_simulator_counts_the_whole_account_and_resets_at_the_epoch_millis_it_names() {
        OpenRouterSimulator openrouter = new OpenRouterSimulator();
        for (int i = 0; i < 25; i++) {
            String model = i % 2 == 0 ? "demo-fast" : "demo-smart";
            assertTrue(openrouter.quota().take(model, NOW.minus(Duration.ofMinutes(i))).admitted());
        }
        SimulatedProvider.Refusal day = openrouter.refusal("demo-fast", openrouter.quota().take("demo-smart", NOW), NOW);
        assertTrue(day.body().contains("free-models-per-day"), day.body());
        assertTrue(day.body().contains("\"X-RateLimit-Reset\":\"" + Instant.parse("2026-10-02T00:00:00Z").toEpochMilli()),
                day.body());
        Outcome outcome = classify("openrouter", day, ZoneOffset.UTC);
        assertEquals(Outcome.Kind.EXHAUSTED, outcome.kind(), outcome.reason());
        assertEquals(Outcome.Scope.ACCOUNT, outcome.scope());
        assertEquals(Instant.parse("2026-10-02T00:00:00Z"), outcome.until());
    }

    @Test
    void go_durations_are_written_as_groq_writes_them() {
        assertEquals("6m30.096s", SimulatedProvider.goDuration(Duration.ofMillis(390_096)));
        assertEquals("13.52s", SimulatedProvider.goDuration(Duration.ofMillis(13_520)));
        assertEquals("5h0m3s", SimulatedProvider.goDuration(Duration.ofSeconds(5 * 3600 + 3)));
    }

    private static Outcome classify(String dialect, SimulatedProvider.Refusal refusal, ZoneId zone) {
        return Dialects.of(DialectName.parse(dialect)).classify(answer(refusal), new ProviderClock(NOW, zone));
    }

    private static UpstreamAnswer answer(SimulatedProvider.Refusal refusal) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        refusal.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        return new UpstreamAnswer(refusal.status(), headers, refusal.body());
    }
}

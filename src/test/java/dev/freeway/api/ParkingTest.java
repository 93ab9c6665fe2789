package dev.freeway.api;

import dev.freeway.quota.QuotaStore;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's word about when it has room again parks the right scope until the right moment, in Redis. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class ParkingTest {

    @Inject
    QuotaStore quota;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void gemini_per_day_quota_parks_the_model_until_midnight_pacific() {
        server().stubFor(chat("google-gemini", null).willReturn(json(429, """
                {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"250"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"22s"}]}}""")));
        ask("google-gemini/gemini-2.5-flash", 429);

        ZoneId pacific = ZoneId.of("America/Los_Angeles");
        Instant midnight = LocalDate.now(pacific).plusDays(1).atStartOfDay(pacific).toInstant();
        assertEquals(midnight, parked("google-gemini:project-1", "gemini-2.5-flash").orElseThrow().until());
        assertTrue(parked("google-gemini:project-1", null).isEmpty(), "only the model, not the project");
    }

    @Test
    void gemini_per_minute_quota_parks_the_model_for_its_retry_delay() {
        server().stubFor(chat("google-gemini", null).willReturn(json(429, """
                {"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"22s"}]}}""")));
        Instant before = Instant.now();
        ask("google-gemini/gemini-2.5-flash", 429);
        assertAround(before.plusSeconds(22), parked("google-gemini:project-1", "gemini-2.5-flash"));
    }

    @Test
    void groq_tpd_parks_the_model_for_the_wait_in_its_message() {
        server().stubFor(chat("groq", null).willReturn(json(429, FallbackTest.GROQ_TPD)));
        Instant before = Instant.now();
        ask("groq/openai/gpt-oss-120b", 429);
        assertAround(before.plus(Duration.ofMillis(6 * 60_000 + 30_096)), parked("groq:team-a", "openai/gpt-oss-120b"));
        assertAround(before.plus(Duration.ofMillis(6 * 60_000 + 30_096)), parked("groq:team-b", "openai/gpt-oss-120b"));
    }

    @Test
    void openrouter_free_models_per_day_parks_the_whole_account_until_its_reset_header() {
        Instant reset = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        server().stubFor(chat("openrouter", null).willReturn(json(429, """
                {"error":{"message":"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day","code":429,"metadata":{"headers":{"X-RateLimit-Limit":"50","X-RateLimit-Remaining":"0","X-RateLimit-Reset":"%d"}}}}"""
                .formatted(reset.toEpochMilli()))));
        ask("openrouter/openai/gpt-oss-20b:free", 429);
        assertEquals(reset, parked("openrouter:main", null).orElseThrow().until());
    }

    @Test
    void hugging_face_spent_credits_park_the_account_until_the_first_of_next_month() {
        server().stubFor(chat("huggingface-router", null).willReturn(json(402, """
                {"error":"You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits."}""")));
        ask("huggingface-router/openai/gpt-oss-120b", 429);
        Instant firstOfNextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
        assertEquals(firstOfNextMonth, parked("huggingface-router:main", null).orElseThrow().until());
    }

    @Test
    void a_spent_dashscope_grant_parks_the_model_and_is_looked_at_again_a_day_later() {
        server().stubFor(chat("dashscope-intl", null).willReturn(json(403, """
                {"error":{"message":"The free tier of the model has been exhausted. If you wish to continue access the model on a paid basis, please disable the \\"use free tier only\\" mode in the management console.","type":"AllocationQuota.FreeTierOnly","param":null,"code":"AllocationQuota.FreeTierOnly"},"request_id":"r1"}""")));
        Instant before = Instant.now();
        ask("dashscope-intl/qwen-plus", 429);
        assertAround(before.plus(Duration.ofDays(1)), parked("dashscope-intl:main", "qwen-plus"));
    }

    @Test
    void a_grant_spent_by_freeways_own_count_says_look_again_in_a_day_as_the_providers_word_does() {
        // the grant's counter full, as Freeway counted it: the provider is never asked
        dev.freeway.support.Resp.command(ProviderDoubles.redis().port(), "SET",
                "fw:{acct:dashscope-intl:main}:q:tokens:grant:model:qwen-max@undated", "1000000");
        var refused = given().contentType(ContentType.JSON)
                .body("{\"model\":\"dashscope-intl/qwen-max\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions");
        refused.then().statusCode(429);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 86_000 && retryAfter <= 86_400, "a spent grant does not come back in a minute: "
                + retryAfter);
        server().verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/dashscope/compatible-mode/v1/chat/completions")));
    }

    @Test
    void zai_insufficient_balance_parks_the_whole_account() {
        server().stubFor(chat("zai", null).willReturn(json(429, """
                {"error":{"code":"1113","message":"Insufficient balance or no resource package. Please recharge."}}""")));
        ask("zai/glm-4.7-flash", 429);
        assertTrue(parked("zai:main", null).isPresent());
    }

    @Test
    void moonshot_rate_limit_parks_for_the_seconds_it_names() {
        server().stubFor(chat("moonshot-kimi", null).willReturn(json(429, """
                {"error":{"message":"Organization Rate limit exceeded, please try again after 1 seconds","type":"rate_limit_reached_error"}}""")));
        Instant before = Instant.now();
        ask("moonshot-kimi/kimi-k2.6", 429);
        assertAround(before.plusSeconds(1), parked("moonshot-kimi:main", "kimi-k2.6").or(() -> parked("moonshot-kimi:main", null)));
    }

    private static void ask(String model, int status) {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(status);
    }

    private Optional<QuotaStore.Parking> parked(String account, String model) {
        return quota.parked(account, model);
    }

    private static void assertAround(Instant expected, Optional<QuotaStore.Parking> parking) {
        Instant until = parking.orElseThrow(() -> new AssertionError("not parked")).until();
        long off = Math.abs(Duration.between(expected, until).toMillis());
        assertTrue(off < 3000, "parked until " + until + ", expected about " + expected);
    }
}

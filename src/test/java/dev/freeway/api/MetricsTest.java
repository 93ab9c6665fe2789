package dev.freeway.api;

import dev.freeway.quota.ParkingKind;
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
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** /q/metrics counts what the request path did and shows each limit rule's remaining quota. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class MetricsTest {

    static final String BIG = "openai/gpt-oss-120b";

    @Inject
    QuotaStore quota;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void requests_fallbacks_latency_and_remaining_quota_are_exported() throws InterruptedException {
        String before = scrape();
        // team-b is parked: one of two requests is offered team-b first and moves on for quota
        quota.park("groq:team-b", null, new QuotaStore.Parking(Instant.now().plus(Duration.ofHours(1)), "held back by the test", ParkingKind.EXHAUSTED));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(200, completion(BIG, "a", 11, 7))));
        ask().then().statusCode(200);
        ask().then().statusCode(200);
        // then team-a runs out of tokens for the day: quota refuses team-b, team-a answers 429
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, FallbackTest.GROQ_TPD)));
        ask().then().statusCode(429);
        Thread.sleep(1_100); // past the gauges' refresh interval in tests
        String after = scrape();

        Map<String, String> ok = Map.of("provider", "groq", "model", BIG, "outcome", "ok");
        Map<String, String> exhausted = Map.of("provider", "groq", "model", BIG, "outcome", "exhausted");
        Map<String, String> chatOk = new java.util.HashMap<>(ok);
        chatOk.put("endpoint", "chat_completions");
        Map<String, String> chatExhausted = new java.util.HashMap<>(exhausted);
        chatExhausted.put("endpoint", "chat_completions");
        assertEquals(2, delta(before, after, "freeway_upstream_requests_total", chatOk));
        assertEquals(1, delta(before, after, "freeway_upstream_requests_total", chatExhausted));
        assertEquals(2, delta(before, after, "freeway_fallbacks_total",
                Map.of("provider", "groq", "model", BIG, "reason", "quota")));
        assertEquals(1, delta(before, after, "freeway_fallbacks_total",
                Map.of("provider", "groq", "model", BIG, "reason", "exhausted")));
        assertEquals(2, delta(before, after, "freeway_upstream_latency_seconds_count", ok));
        assertEquals(2, delta(before, after, "freeway_upstream_latency_seconds_bucket",
                Map.of("provider", "groq", "model", BIG, "outcome", "ok", "le", "+Inf")), "a latency histogram");

        Map<String, String> dayRequests = Map.of("provider", "groq", "account", "team-a", "model", BIG,
                "metric", "requests", "window", "day");
        assertEquals(1000 - 2, value(after, "freeway_quota_remaining", dayRequests));
        assertEquals(1000, value(after, "freeway_quota_limit", dayRequests));
        assertEquals(200_000 - 2 * (11 + 7), value(after, "freeway_quota_remaining", Map.of("provider", "groq",
                "account", "team-a", "model", BIG, "metric", "tokens", "window", "day")));
        assertEquals(1, value(after, "freeway_account_parked", Map.of("provider", "groq", "account", "team-b")));
        // the meters nobody charts are not registered (application.properties); the JVM's stay
        for (String uncharted : java.util.List.of("http_server_requests", "vertx_", "netty_", "ft_")) {
            org.junit.jupiter.api.Assertions.assertFalse(after.lines().anyMatch(l -> l.startsWith(uncharted)),
                    uncharted + "* is not exported");
        }
        org.junit.jupiter.api.Assertions.assertTrue(after.lines().anyMatch(l -> l.startsWith("jvm_memory_used_bytes")),
                "the JVM's meters are");
        assertEquals(0, value(after, "freeway_account_parked", Map.of("provider", "groq", "account", "team-a")));
        assertEquals(0, value(after, "freeway_credentials_rejected", Map.of("provider", "groq", "account", "team-a")));
        assertEquals(0, value(after, "freeway_circuit_open", Map.of("provider", "groq")));
        assertEquals(0, value(after, "freeway_quota_store_degraded", Map.of()));
    }

    @Test
    void a_call_retried_on_the_same_account_is_no_fallback() {
        String before = scrape();
        // team-a first answers 503 and is retried on the same account, which then serves
        server().stubFor(chat("groq", null).inScenario("retry").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(json(503,
                "{\"error\":{\"message\":\"overloaded\"}}")).willSetStateTo("answered"));
        server().stubFor(chat("groq", null).inScenario("retry").whenScenarioStateIs("answered")
                .willReturn(json(200, completion(BIG, "a", 11, 7))));
        var served = ask();
        served.then().statusCode(200).header("x-freeway-attempts", "2");
        String account = served.header("x-freeway-account");
        String after = scrape();

        assertEquals(1, delta(before, after, "freeway_upstream_requests_total", Map.of("endpoint", "chat_completions",
                "provider", "groq", "model", BIG, "outcome", "upstream_error")), "the failed call is counted");
        assertEquals(0, delta(before, after, "freeway_fallbacks_total",
                Map.of("provider", "groq", "model", BIG, "reason", "upstream_error")),
                "but it was retried on " + account + ", not moved on from");
    }

    @Test
    void model_ids_a_client_makes_up_share_one_label() {
        // OpenRouter takes any model id through provider/model: each made-up id is a real call, not a new series
        server().stubFor(chat("openrouter", null).willReturn(json(400,
                "{\"error\":{\"message\":\"not a valid model ID\",\"code\":400}}")));
        String before = scrape();
        for (int n = 0; n < 3; n++) {
            given().contentType(ContentType.JSON).body("{\"model\":\"openrouter/made-up-" + n
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").when()
                    .post("/v1/chat/completions").then().statusCode(400);
        }
        String after = scrape();
        assertEquals(false, after.contains("made-up-"), "no series names a made-up model");
        assertEquals(3, delta(before, after, "freeway_upstream_requests_total", Map.of("endpoint", "chat_completions",
                "provider", "openrouter", "model", "other", "outcome", "client_error")));
    }

    private static io.restassured.response.Response ask() {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"groq/" + BIG + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions");
    }

    private static String scrape() {
        return given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return valueOrZero(after, name, labels) - valueOrZero(before, name, labels);
    }

    private static double valueOrZero(String text, String name, Map<String, String> labels) {
        try {
            return value(text, name, labels);
        } catch (AssertionError e) {
            return 0;
        }
    }

    /** The sample of this metric whose labels include all of these. */
    private static double value(String text, String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = labels.entrySet().stream()
                    .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " " + labels);
    }
}

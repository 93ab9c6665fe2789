package dev.freeway.api;

import dev.freeway.support.GatewayView;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sharing the pool fairly: each named client's own limits hold across every account, a client over its limit gets
 * a 429 for its own window while the others are served, and what a client may ask for is enforced.
 */
@QuarkusTest
@TestProfile(ClientLimitsTest.Teammates.class)
class ClientLimitsTest {

    static final String ALICE = "alice-key-0123456789abcdef";
    static final String BOB = "bob-key-0123456789abcdef01";
    static final String CAROL = "carol-key-0123456789abcdef0";
    static final String DAVE = "dave-key-0123456789abcdef01";
    private static final String SIMPLE = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is the capital of Norway?\"}]}";

    /** Three teammates: alice with 3 requests a day, bob for simple tasks only, carol for Groq only. */
    public static class Teammates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "freeway.security.clients.alice.key", ALICE,
                    "freeway.security.clients.alice.limits[0].metric", "requests",
                    "freeway.security.clients.alice.limits[0].window", "day",
                    "freeway.security.clients.alice.limits[0].limit", "3",
                    "freeway.security.clients.bob.key", "sha256:" + sha256(BOB),
                    "freeway.security.clients.bob.tasks", "simple",
                    "freeway.security.clients.carol.key", CAROL,
                    "freeway.security.clients.carol.models", "groq",
                    "freeway.security.clients.dave.key", DAVE,
                    "freeway.security.clients.dave.models", "auto,google-gemini/gemini-2.5-flash");
        }
    }

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Oslo", 9, 2))));
        server().stubFor(chat("google-gemini", null).willReturn(json(200, completion("gemini-2.5-flash", "Oslo", 9, 2))));
    }

    @Test
    void a_client_at_its_own_limit_gets_a_429_for_its_window_and_the_others_are_still_served() {
        for (int i = 0; i < 3; i++) {
            ask(ALICE, SIMPLE).then().statusCode(200);
        }
        Response over = ask(ALICE, SIMPLE);
        over.then().statusCode(429).header("x-should-retry", "true")
                .body("error.code", equalTo("client_limit_exceeded"));
        long retryAfter = Long.parseLong(over.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 86_400, "until the client's own day ends: " + retryAfter);

        ask(BOB, SIMPLE).then().statusCode(200);
        ask(CAROL, SIMPLE).then().statusCode(200);
        server().verify(5, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertEquals(3, GatewayView.status().getLong("clients.find { it.name == 'alice' }.usage.served"),
                "status counts her three");
        assertEquals(1, GatewayView.status().getLong("clients.find { it.name == 'alice' }.usage.refused"));
    }

    @Test
    void a_request_no_account_serves_costs_its_client_nothing() {
        server().stubFor(chat("groq", null).atPriority(1).willReturn(json(429, FallbackTest.GROQ_TPD)));
        ask(ALICE, SIMPLE).then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
        server().resetAll();
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Oslo", 9, 2))));
        dev.freeway.support.Resp.command(ProviderDoubles.redis().port(), "FLUSHDB"); // the 429 parked groq

        for (int i = 0; i < 3; i++) {
            ask(ALICE, SIMPLE).then().statusCode(200);
        }
    }

    @Test
    void a_client_asks_only_for_its_tasks_and_models() {
        ask(BOB, "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Refactor this Java method into a stream: for (int i = 0; i < n; i++) { sum += a[i]; }\"}]}")
                .then().statusCode(403).header("x-should-retry", "false")
                .body("error.type", equalTo("permission_error")).body("error.code", equalTo("task_not_allowed"));
        ask(CAROL, "{\"model\":\"google-gemini/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}]}").then().statusCode(403).body("error.code", equalTo("model_not_allowed"));
        ask(CAROL, SIMPLE).then().statusCode(200).header("x-freeway-provider", "groq");
        // auto lets Freeway pick anything for an auto request; a model named must still be among the client's
        ask(DAVE, SIMPLE.replace("\"model\":\"groq/openai/gpt-oss-120b\"", "\"model\":\"auto\""))
                .then().statusCode(200);
        ask(DAVE, "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}]}").then().statusCode(403).body("error.code", equalTo("model_not_allowed"));
        ask(DAVE, "{\"model\":\"google-gemini/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hi\"}]}").then().statusCode(200).header("x-freeway-provider", "google-gemini");
    }

    @Test
    void an_unknown_key_is_refused_once_clients_are_named() {
        ask("not-a-key-at-all-0000000000", SIMPLE).then().statusCode(401);
        given().contentType(ContentType.JSON).body(SIMPLE).when().post("/v1/chat/completions").then().statusCode(401);
    }

    private static Response ask(String key, String body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(body)
                .when().post("/v1/chat/completions");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

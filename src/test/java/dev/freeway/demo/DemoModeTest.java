package dev.freeway.demo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no account configured, Freeway answers from its demo providers, says so, and shows fallback. The simulators
 * keep their counts for the life of the application, so the test that runs them dry goes last.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoModeTest {

    private static final String HELLO = """
            {"model":"auto","messages":[{"role":"user","content":"Hello! What can you do?"}]}""";

    @Test
    void a_curl_with_no_keys_gets_a_completion_labelled_demo() {
        given().contentType(ContentType.JSON).body(HELLO).when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-demo", "true")
                .header("x-freeway-provider", startsWith("demo-"))
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", containsString("demo"))
                .body("choices[0].message.content", containsString("Hello! What can you do?"))
                .body("usage.prompt_tokens", greaterThan(5))
                .body("usage.completion_tokens", greaterThan(10));
    }

    @Test
    void models_lists_the_demo_models() {
        given().when().get("/v1/models")
                .then().statusCode(200)
                .header("x-freeway-demo", "true")
                .body("data.id", hasItem("demo-groq/demo-fast"));
    }

    @Test
    void streaming_sends_the_answer_in_chunks_with_usage_and_done() {
        String body = given().contentType(ContentType.JSON).body("""
                        {"model":"auto:reasoning","stream":true,"stream_options":{"include_usage":true},
                         "messages":[{"role":"user","content":"Why is the sky blue?"}]}""")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-demo", "true")
                .header("x-freeway-model", "demo-smart")
                .contentType(containsString("text/event-stream"))
                .extract().asString();
        assertTrue(body.contains("\"delta\":{\"content\":\"This is a \"}"), body);
        assertTrue(body.contains("\"delta\":{\"content\":\"demo answer from \"}"), body);
        assertTrue(body.contains("\"usage\":{\"prompt_tokens\":"), body);
        assertTrue(body.trim().endsWith("data: [DONE]"), body);
    }

    @Test
    void the_landing_page_says_what_this_is_and_links_the_dashboard() {
        String page = given().accept("text/html").when().get("/")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertTrue(page.contains("demo providers"), page);
        assertTrue(page.contains("href=\"/dashboard\""), page);
        assertTrue(page.contains("-d '{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'"),
                page);
    }

    @Test
    void on_a_loopback_demo_the_dashboard_and_status_open_without_a_key() {
        String page = given().accept("text/html").when().get("/dashboard")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertTrue(page.contains("Freeway — pool status"), page);
        assertTrue(page.contains("demo-groq"), page);
        given().when().get("/v1/status").then().statusCode(200).body("providers.name", hasItem("demo-gemini"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void sending_until_the_demo_runs_dry_shows_fallback_then_a_429_with_retry_after() {
        List<String> providers = new ArrayList<>();
        boolean fellBackAfterAProvider429 = false;
        Response last = null;
        for (int i = 0; i < 120; i++) {
            last = given().contentType(ContentType.JSON).body("""
                    {"model":"demo-fast","messages":[{"role":"user","content":"request %d"}]}""".formatted(i))
                    .when().post("/v1/chat/completions");
            if (last.statusCode() != 200) {
                break;
            }
            providers.add(last.header("x-freeway-provider"));
            fellBackAfterAProvider429 |= last.header("x-freeway-provider").equals("demo-gemini")
                    && Integer.parseInt(last.header("x-freeway-attempts")) > 1;
        }
        Set<String> order = new LinkedHashSet<>(providers);
        assertEquals(List.of("demo-groq", "demo-gemini", "demo-openrouter"), List.copyOf(order),
                "served in chain order, moving on as each ran out: " + providers);
        assertTrue(fellBackAfterAProvider429, "demo-groq's own 429 was parked and the request served elsewhere: "
                + providers);
        last.then().statusCode(429)
                .header("x-freeway-demo", "true")
                .header("Retry-After", Integer::parseInt, greaterThan(0))
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.candidates.find { it.candidate == 'demo-groq/demo-fast' }.reason",
                        containsString("requests per minute (RPM)"))
                .body("error.candidates.find { it.candidate == 'demo-gemini/demo-fast' }.reason",
                        startsWith("no room: requests:minute"));
    }

    @Test
    void the_simulator_answers_only_the_gateway_that_runs_it() {
        for (String key : new String[]{null, "Bearer demo-key", "Bearer " + DemoProviders.KEY + "x"}) {
            var request = given().contentType(ContentType.JSON);
            if (key != null) {
                request.header("Authorization", key);
            }
            request.body("""
                            {"model":"demo-fast","messages":[{"role":"user","content":"hi"}]}""")
                    .when().post("/demo/groq/v1/chat/completions")
                    .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        }
    }

    @Test
    void the_simulator_answers_a_model_it_does_not_serve_with_a_404() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + DemoProviders.KEY).body("""
                        {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""")
                .when().post("/demo/groq/v1/chat/completions")
                .then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }
}

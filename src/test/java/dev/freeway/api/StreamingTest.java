package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.event;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class StreamingTest {

    private static final String REQUEST = """
            {"model":"groq/openai/gpt-oss-120b","stream":true,"messages":[{"role":"user","content":"Count"}]}""";

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void chunks_pass_through_in_order_with_done_last_and_the_usage_chunk_hidden() {
        String upstream = stream("openai/gpt-oss-120b", List.of("one", " two", " three"), 9, 3);
        server().stubFor(chat("groq", null).willReturn(sse(upstream)));

        String body = given().contentType(ContentType.JSON).body(REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType("text/event-stream")
                .header("x-freeway-provider", "groq").header("x-freeway-account", "team-a")
                .extract().asString();

        List<String> events = events(body);
        List<String> sent = events(upstream);
        assertEquals(sent.subList(0, sent.size() - 2), events.subList(0, events.size() - 1),
                "every content chunk passes unchanged, in order");
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertFalse(body.contains("\"usage\""), "the usage chunk Freeway asked for is not forwarded");
        server().verify(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @Test
    void chunks_reach_the_client_as_they_arrive_not_when_the_stream_ends() throws Exception {
        String upstream = stream("openai/gpt-oss-120b", List.of("a", "b", "c", "d", "e", "f"), 9, 6);
        // the double sends its body in 10 pieces spread over 3 seconds
        server().stubFor(chat("groq", null).willReturn(sse(upstream).withChunkedDribbleDelay(10, 3000)));

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(REQUEST)).build();
        long start = System.nanoTime();
        java.net.http.HttpResponse<java.io.InputStream> response =
                client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
            String first = lines.readLine();
            long firstAt = System.nanoTime() - start;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.contains("[DONE]")) {
                    break;
                }
            }
            long doneAt = System.nanoTime() - start;
            assertTrue(first.startsWith("data: "), first);
            // behaviour, not speed: the first event is in hand well before the upstream has finished sending
            assertTrue(doneAt - firstAt > 1_000_000_000L, "first event after " + firstAt / 1_000_000
                    + " ms, [DONE] after " + doneAt / 1_000_000 + " ms");
        }
    }

    @Test
    void a_client_that_asks_for_usage_gets_the_usage_chunk() {
        server().stubFor(chat("groq", null).willReturn(sse(stream("openai/gpt-oss-120b", List.of("a"), 4, 1))));

        String body = given().contentType(ContentType.JSON).body("""
                        {"model":"groq/openai/gpt-oss-120b","stream":true,"stream_options":{"include_usage":true},
                         "messages":[{"role":"user","content":"a"}]}""")
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();

        assertTrue(body.contains("\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1"));
        assertTrue(body.trim().endsWith("data: [DONE]"));
    }

    @Test
    void a_stream_that_fails_before_its_first_byte_falls_back_to_the_next_account() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, """
                {"error":{"message":"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_1` service tier `on_demand` on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 2m59.56s.","type":"requests","code":"rate_limit_exceeded"}}""")));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(sse(stream("openai/gpt-oss-120b", List.of("b"), 4, 1))));

        given().contentType(ContentType.JSON).body(REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-freeway-account", "team-b").header("x-freeway-attempts", "2");
    }

    @Test
    void an_error_event_inside_a_200_stream_before_any_data_falls_back() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(sse(event("""
                {"error":{"message":"The service may be temporarily overloaded","type":"server_error","code":"503"}}"""))));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(sse(stream("openai/gpt-oss-120b", List.of("b"), 4, 1))));

        given().contentType(ContentType.JSON).body(REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-freeway-account", "team-b");
    }

    @Test
    void a_failure_after_the_first_byte_reaches_the_client_as_an_error_event_without_fallback() {
        String first = stream("openai/gpt-oss-120b", List.of("partial"), 4, 1).split("\n\n")[0] + "\n\n";
        String error = event("{\"error\":{\"message\":\"Output data may contain inappropriate content.\","
                + "\"type\":\"data_inspection_failed\",\"code\":\"data_inspection_failed\"}}");
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(sse(first + error)));

        String body = given().contentType(ContentType.JSON).body(REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-freeway-account", "team-a").extract().asString();

        List<String> events = events(body);
        assertEquals(2, events.size(), "the first chunk, then the error event: " + events);
        assertTrue(events.get(1).contains("data_inspection_failed"));
        server().verify(0, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_B)));
    }

    private static List<String> events(String sse) {
        return Arrays.stream(sse.split("\n\n")).map(String::trim).filter(s -> s.startsWith("data:"))
                .map(s -> s.substring(5).trim()).toList();
    }
}

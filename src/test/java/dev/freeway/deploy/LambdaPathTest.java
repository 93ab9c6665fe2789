package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.quota.HourlyUsage;
import dev.freeway.quota.UsageCounts;
import dev.freeway.quota.UsageLedger;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeway behind AWS Lambda: API Gateway payload format 2.0 events (what a Lambda function URL sends) posted to
 * Quarkus's mock Lambda event server, answered through {@code quarkus-amazon-lambda-http} exactly as on AWS.
 * Runs only with the Lambda adapter on the class path: {@code ./mvnw -Plambda test} (the lambda profile selects
 * this tag).
 */
@Tag("lambda")
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class LambdaPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = """
            {"model":"groq/openai/gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}""";

    @Inject
    UsageLedger ledger;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_chat_completion_event_gets_the_completion_and_the_call_is_counted_before_the_invocation_returns() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "Hello from Lambda", 12, 3))));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", CHAT, false));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertTrue(header(response, "content-type").startsWith("application/json"), response.toString());
        assertEquals("groq", header(response, "x-freeway-provider"));
        assertEquals("team-a", header(response, "x-freeway-account"));
        assertNotNull(header(response, "x-ratelimit-remaining-requests"));
        assertEquals("Hello from Lambda", body(response).path("choices").path(0).path("message").path("content").asText());
        // Lambda may freeze the function as soon as the invocation returns: the settle is already in Redis.
        Instant now = Instant.now();
        List<HourlyUsage> rows = ledger.read("groq:team-a", now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
        assertEquals(List.of(new UsageCounts(1, 12, 3, 0, 0, 0)), rows.stream().map(HourlyUsage::counts).toList());
    }

    @Test
    void a_base64_encoded_body_is_decoded() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "decoded", 2, 1))));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", CHAT, true));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertEquals("decoded", body(response).path("choices").path(0).path("message").path("content").asText());
    }

    @Test
    void the_models_list_answers_a_get_event() {
        JsonNode response = invoke(event("GET", "/v1/models", null, false));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        JsonNode list = body(response);
        assertEquals("list", list.path("object").asText());
        assertTrue(list.path("data").findValuesAsText("id").contains("groq/openai/gpt-oss-120b"), list.toString());
    }

    @Test
    void errors_are_openai_shaped_with_the_status_a_client_library_expects() {
        JsonNode malformed = invoke(event("POST", "/v1/chat/completions", "{\"model\":", false));
        assertEquals(400, malformed.path("statusCode").asInt());
        assertEquals("invalid_request_error", body(malformed).path("error").path("type").asText());

        JsonNode unknown = invoke(event("GET", "/v1/nothing-here", null, false));
        assertEquals(404, unknown.path("statusCode").asInt());
        assertEquals("not_found", body(unknown).path("error").path("code").asText());
        server().verify(0, anyRequestedFor(anyUrl()));

        server().stubFor(chat("groq", null).willReturn(json(429, """
                {"error":{"message":"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_1` service tier `on_demand` on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 2m59.56s.","type":"requests","code":"rate_limit_exceeded"}}""")));
        JsonNode exhausted = invoke(event("POST", "/v1/chat/completions", CHAT, false));
        assertEquals(429, exhausted.path("statusCode").asInt());
        assertEquals("rate_limit_error", body(exhausted).path("error").path("type").asText());
        assertTrue(Long.parseLong(header(exhausted, "retry-after")) > 0, exhausted.toString());
    }

    @Test
    void a_stream_arrives_whole_because_lambda_buffers_responses() {
        server().stubFor(chat("groq", null).willReturn(sse(ProviderDoubles.stream("openai/gpt-oss-120b",
                List.of("one", " two"), 4, 2))));

        JsonNode response = invoke(event("POST", "/v1/chat/completions",
                CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), false));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertTrue(header(response, "content-type").startsWith("text/event-stream"));
        String sse = text(response);
        assertTrue(sse.contains("\"content\":\"one\"") && sse.contains("\"content\":\" two\""), sse);
        assertTrue(sse.trim().endsWith("data: [DONE]"), sse);
        assertFalse(sse.contains("\"usage\""), "the usage chunk the client did not ask for stays hidden");
    }

    /** A payload format 2.0 event as a Lambda function URL sends it. */
    private static String event(String method, String path, String body, boolean base64) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("host", "abcdefghij.lambda-url.eu-west-1.on.aws");
        headers.put("user-agent", "OpenAI/Python 1.99.0");
        headers.put("accept", "application/json");
        headers.put("x-forwarded-proto", "https");
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous");
        context.put("apiId", "abcdefghij");
        context.put("domainName", "abcdefghij.lambda-url.eu-west-1.on.aws");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.7");
        http.put("userAgent", "OpenAI/Python 1.99.0");
        if (body != null) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        event.put("isBase64Encoded", base64);
        return event.toString();
    }

    /** Posts the event to the mock event server, which hands it to the function and returns the function's answer. */
    private static JsonNode invoke(String event) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.lambda.mock-event-server.test-port", Integer.class)
                .orElse(8081);
        String answer = given().baseUri("http://localhost:" + port).contentType(ContentType.JSON).body(event)
                .when().post("/_lambda_")
                .then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(answer);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an API Gateway v2 response: " + answer, e);
        }
    }

    private static String text(JsonNode response) {
        String body = response.path("body").asText();
        return response.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    private static JsonNode body(JsonNode response) {
        try {
            return JSON.readTree(text(response));
        } catch (java.io.IOException e) {
            throw new AssertionError("body is not JSON: " + response, e);
        }
    }

    /** A response header, whatever its case (API Gateway v2 responses carry a plain name-to-value map). */
    private static String header(JsonNode response, String name) {
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue().asText();
            }
        }
        JsonNode multi = response.path("multiValueHeaders");
        for (Map.Entry<String, JsonNode> header : multi.properties()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue().path(0).asText();
            }
        }
        return null;
    }
}

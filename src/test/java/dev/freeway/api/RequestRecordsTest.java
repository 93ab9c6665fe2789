package dev.freeway.api;

import dev.freeway.support.GatewayView;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the operator can look up afterwards: every answer carries x-request-id (the client's, or a new one), and the
 * recent-requests list has each request under that id, served or refused and why, written before the answer.
 */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class RequestRecordsTest {

    private static final String CHAT = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Write a regex for dates\"}]}";

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_served_request_is_listed_under_the_id_the_client_sent_with_what_served_it() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "ok", 14, 6))));

        given().contentType(ContentType.JSON).header("x-request-id", "trace-42").body(CHAT)
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-request-id", "trace-42");

        JsonPath entry = only("trace-42");
        assertEquals("chat_completions", entry.getString("endpoint"));
        assertEquals("coding", entry.getString("task"));
        assertFalse(entry.getList("task_evidence").isEmpty(), "why the task is coding");
        assertEquals("groq", entry.getString("served.provider"));
        assertEquals(14, entry.getInt("tokens.input"));
        assertEquals(6, entry.getInt("tokens.output"));
        assertEquals(200, entry.getInt("status"));
        assertEquals("done", entry.getString("ending"));
        assertNull(entry.getString("prompt"), "no prompt text is kept unless configured");
        String account = "groq:" + entry.getString("served.account");
        assertEquals(1, GatewayView.keys("fw:{acct:" + account + "}:latency:*").size(), "its latency is in the histogram");
    }

    @Test
    void an_answer_without_an_id_gets_a_new_one_and_a_hostile_id_is_replaced() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "ok", 3, 1))));
        String fresh = given().contentType(ContentType.JSON).body(CHAT).when().post("/v1/chat/completions")
                .then().statusCode(200).extract().header("x-request-id");
        String replaced = given().contentType(ContentType.JSON).header("x-request-id", "x".repeat(300)).body(CHAT)
                .when().post("/v1/chat/completions").then().statusCode(200).extract().header("x-request-id");

        assertTrue(fresh.startsWith("req_"), fresh);
        assertTrue(replaced.startsWith("req_"), replaced);
        only(fresh);
        // errors carry it too
        given().contentType(ContentType.JSON).body("{").when().post("/v1/chat/completions").then().statusCode(400)
                .header("x-request-id", org.hamcrest.Matchers.startsWith("req_"));
    }

    @Test
    void a_refused_request_is_listed_with_its_reasons_and_counted_by_provider_and_reason() {
        server().stubFor(chat("groq", null).willReturn(json(429, FallbackTest.GROQ_TPD)));
        double before = GatewayView.metric("freeway_refusals_total", Map.of("provider", "groq", "reason", "no_room"));

        given().contentType(ContentType.JSON).header("x-request-id", "refused-1").body(CHAT)
                .when().post("/v1/chat/completions").then().statusCode(429).header("x-request-id", "refused-1");

        JsonPath entry = only("refused-1");
        assertEquals(429, entry.getInt("status"));
        assertEquals("rate_limit_exceeded", entry.getString("error"));
        assertEquals(2, entry.getInt("attempts"));
        List<String> why = entry.getList("skipped.why");
        assertEquals(List.of("exhausted", "exhausted"), why);
        assertEquals(before + 1, GatewayView.metric("freeway_refusals_total", Map.of("provider", "groq",
                "reason", "no_room")));
        assertEquals(1, GatewayView.keys("fw:{acct:pool}:refused:*").size(), "this hour's refusals are kept");
    }

    private static JsonPath only(String id) {
        JsonPath list = given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY)
                .queryParam("id", id).when().get("/v1/requests").then().statusCode(200).extract().jsonPath();
        assertEquals(1, list.getList("data").size(), "one entry for " + id + ": " + list.prettify());
        return new JsonPath(list.prettify()).setRootPath("data[0]");
    }
}

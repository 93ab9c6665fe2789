package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import dev.freeway.support.Resp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groq's two accounts under {@code weighted}, through the gateway: the served account's latency average is written
 * in the call's settlement (time to the answer, or to a stream's first event), and a call that failed leaves none.
 */
@QuarkusTest
@TestProfile(WeightedRoutingTest.Weighted.class)
class WeightedRoutingTest {

    private static final String MODEL = "openai/gpt-oss-120b";
    private static final String GROQ_ONLY = "{\"model\":\"groq/" + MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Hi\"}]}";
    private static final String GROQ_STREAM = "{\"model\":\"groq/" + MODEL + "\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    public static class Weighted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.providers.groq.load-balancing", "weighted");
        }
    }

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_served_completion_leaves_its_time_to_answer_in_the_serving_accounts_average() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(MODEL, "hello", 3, 2))
                .withFixedDelay(300)));

        Response served = ask(GROQ_ONLY);
        served.then().statusCode(200);

        double average = Double.parseDouble(average(served.header("x-freeway-account")));
        assertTrue(average >= 300 && average < 5_000, "the provider answered after 300 ms: " + average);
        assertNull(average(other(served.header("x-freeway-account"))), "only the serving account has a sample");
    }

    @Test
    void a_served_stream_leaves_its_time_to_first_event_once_it_has_ended() {
        server().stubFor(chat("groq", null).willReturn(sse(stream(MODEL, List.of("hel", "lo"), 3, 2))
                .withFixedDelay(200)));

        Response served = given().contentType(ContentType.JSON).body(GROQ_STREAM)
                .when().post("/v1/chat/completions");
        served.then().statusCode(200);
        assertTrue(served.asString().contains("[DONE]"), served.asString());

        double average = Double.parseDouble(average(served.header("x-freeway-account")));
        assertTrue(average >= 200 && average < 5_000, "the first event came after 200 ms: " + average);
    }

    @Test
    void a_call_that_failed_on_every_account_leaves_no_average() {
        server().stubFor(chat("groq", null).willReturn(json(400,
                "{\"error\":{\"message\":\"'messages' is required\",\"type\":\"invalid_request_error\"}}")));

        ask(GROQ_ONLY).then().statusCode(400);

        assertNull(average("team-a"));
        assertNull(average("team-b"));
    }

    private static Response ask(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }

    /** The account's latency average for the model as Redis holds it; null when it has none. */
    private static String average(String account) {
        Object value = Resp.command(ProviderDoubles.redis().port(), "GET",
                "fw:{acct:groq:" + account + "}:lat:" + MODEL);
        return value == null ? null : value.toString();
    }

    private static String other(String account) {
        assertTrue(List.of("team-a", "team-b").contains(account), account);
        return account.equals("team-a") ? "team-b" : "team-a";
    }
}

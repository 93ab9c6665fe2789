package dev.freeway.api;

import dev.freeway.cache.CacheMetrics;
import dev.freeway.config.Pool;
import dev.freeway.support.GatewayView;
import dev.freeway.support.ProviderDoubles;
import dev.freeway.support.Resp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache switched on, with two client keys: what a hit answers and saves, what each header does, what is
 * never kept, that clients never share, and that the figures in status, the dashboard and metrics match the traffic.
 */
@QuarkusTest
@TestProfile(CachedAnswersTest.CacheOn.class)
@QuarkusTestResource(ProviderDoubles.class)
class CachedAnswersTest {

    static final String ALICE = "fw-client-alice-5e1f";
    static final String BOB = "fw-client-bob-77a0";
    static final String BIG = "openai/gpt-oss-120b";
    static final String REQUEST = """
            {"model":"groq/openai/gpt-oss-120b","temperature":0,"max_tokens":200,\
            "messages":[{"role":"user","content":"Name three primes."}]}""";

    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.cache.enabled", "true", "freeway.security.client-keys", ALICE + "," + BOB);
        }
    }

    @Inject
    Pool pool;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    static Response ask(String key, String body, String... header) {
        var request = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(body);
        if (header.length > 0) {
            request.header("x-freeway-cache", header[0]);
        }
        return request.when().post("/v1/chat/completions");
    }

    private static void answers(String content, long prompt, long completion) {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, content, prompt, completion))));
    }

    private static int groqCalls() {
        return server().findAll(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))).size();
    }

    private static String content(Response response) {
        return response.jsonPath().getString("choices[0].message.content");
    }

    @Test
    void a_repeated_request_is_answered_from_the_cache_and_reserves_nothing_anywhere() {
        answers("2, 3, 5", 11, 7);
        Response first = ask(ALICE, REQUEST);
        first.then().statusCode(200).header("x-freeway-cache", "miss").header("x-freeway-attempts", "1");
        String account = first.header("x-freeway-account");
        long requestsBefore = GatewayView.used("groq", account, BIG, "requests", "day");
        long tokensBefore = GatewayView.used("groq", account, BIG, "tokens", "day");
        long ledgerBefore = GatewayView.ledger("groq:" + account, "requests:" + BIG);

        Response hit = ask(ALICE, REQUEST);
        hit.then().statusCode(200).contentType(ContentType.JSON)
                .header("x-freeway-cache", "hit")
                .header("x-freeway-attempts", "0")
                .header("x-freeway-provider", "groq")
                .header("x-freeway-model", BIG)
                .header("x-freeway-account", account)
                .header("x-ratelimit-remaining-requests", nullValue())
                .body("choices[0].message.content", equalTo("2, 3, 5"))
                .body("usage.total_tokens", equalTo(18));
        assertEquals(1, groqCalls(), "the provider was called once");
        assertEquals(requestsBefore, GatewayView.used("groq", account, BIG, "requests", "day"));
        assertEquals(tokensBefore, GatewayView.used("groq", account, BIG, "tokens", "day"));
        assertEquals(ledgerBefore, GatewayView.ledger("groq:" + account, "requests:" + BIG), "no ledger entry");
        assertTrue(GatewayView.keys("fw:{acct:*}:lease*").isEmpty(), "no lease was taken");
    }

    @Test
    void skip_neither_reads_nor_writes_and_refresh_writes_without_reading() {
        answers("first", 11, 7);
        ask(ALICE, REQUEST, "skip").then().statusCode(200).header("x-freeway-cache", "skip");
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "miss"); // skip kept nothing
        ask(ALICE, REQUEST, "skip").then().header("x-freeway-cache", "skip").header("x-freeway-attempts", "1");
        assertEquals(3, groqCalls(), "skip did not read what the miss kept");

        answers("second", 11, 8);
        Response refreshed = ask(ALICE, REQUEST, "REFRESH");
        refreshed.then().statusCode(200).header("x-freeway-cache", "refresh");
        assertEquals("second", content(refreshed));
        assertEquals(4, groqCalls(), "refresh does not read");
        Response hit = ask(ALICE, REQUEST, "use");
        hit.then().header("x-freeway-cache", "hit");
        assertEquals("second", content(hit), "refresh replaced the kept answer");
        assertEquals(4, groqCalls());
    }

    @Test
    void an_unknown_cache_header_is_refused_naming_it() {
        ask(ALICE, REQUEST, "always").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("x-freeway-cache"));
        assertEquals(0, groqCalls());
    }

    @Test
    void a_request_that_is_not_deterministic_is_not_cached_by_default() {
        answers("varies", 11, 7);
        String warm = REQUEST.replace("\"temperature\":0", "\"temperature\":0.8");
        ask(ALICE, warm).then().statusCode(200).header("x-freeway-cache", "skip");
        ask(ALICE, warm).then().statusCode(200).header("x-freeway-cache", "skip");
        String seeded = REQUEST.replace("\"temperature\":0", "\"temperature\":0.8,\"seed\":7");
        ask(ALICE, seeded).then().header("x-freeway-cache", "miss");
        ask(ALICE, seeded).then().header("x-freeway-cache", "hit");
        assertEquals(3, groqCalls(), "a seed makes it deterministic");
    }

    @Test
    void an_answer_that_calls_tools_is_not_cached_by_default() {
        server().stubFor(chat("groq", null).willReturn(json(200, """
                {"id":"chatcmpl-t","object":"chat.completion","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1",\
                "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},\
                "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":30,"completion_tokens":9,"total_tokens":39}}""")));
        String withTools = REQUEST.replace("\"max_tokens\":200,", "\"max_tokens\":200,\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],");
        ask(ALICE, withTools).then().statusCode(200).header("x-freeway-cache", "miss");
        ask(ALICE, withTools).then().statusCode(200).header("x-freeway-cache", "miss");
        assertEquals(2, groqCalls(), "each call goes to the provider again");
    }

    @Test
    void a_streamed_answer_is_kept_and_replayed_chunk_for_chunk_and_serves_a_whole_answer_too() {
        String upstream = stream(BIG, List.of("Two,", " three,", " five."), 9, 3);
        server().stubFor(chat("groq", null).willReturn(sse(upstream)));
        String streamed = REQUEST.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}");

        String live = ask(ALICE, streamed).then().statusCode(200).header("x-freeway-cache", "miss")
                .extract().asString();
        Response hit = ask(ALICE, streamed);
        hit.then().statusCode(200).contentType("text/event-stream").header("x-freeway-cache", "hit")
                .header("x-freeway-attempts", "0");
        assertEquals(live, hit.asString(), "the replay is the live stream, byte for byte");
        assertEquals(upstream, live, "which was the provider's, ending with [DONE]");

        Response whole = ask(ALICE, REQUEST);
        whole.then().statusCode(200).header("x-freeway-cache", "hit");
        assertEquals("Two, three, five.", content(whole));
        assertEquals(12, whole.jsonPath().getInt("usage.total_tokens"));
        assertEquals(1, groqCalls());
    }

    @Test
    void a_kept_answer_replays_as_the_same_stream_through_a_translating_door() {
        server().stubFor(chat("groq", null).willReturn(sse(stream(BIG, List.of("Two,", " three,", " five."), 9, 3))));
        String messages = """
                {"model":"groq/openai/gpt-oss-120b","max_tokens":200,"temperature":0,"stream":true,\
                "messages":[{"role":"user","content":"Name three primes."}]}""";
        String live = anthropic(messages).then().statusCode(200).header("x-freeway-cache", "miss")
                .extract().asString();
        Response hit = anthropic(messages);
        hit.then().statusCode(200).header("x-freeway-cache", "hit").header("x-freeway-provider", "groq");
        assertEquals(withoutIds(live), withoutIds(hit.asString()), "the same Anthropic events, delta for delta");
        assertTrue(live.contains("event: message_stop"), live);
        assertEquals(List.of("Two,", " three,", " five."), textDeltas(hit.asString()));

        Response whole = anthropic(messages.replace("\"stream\":true,", ""));
        whole.then().statusCode(200).header("x-freeway-cache", "hit")
                .body("type", equalTo("message")).body("content[0].text", equalTo("Two, three, five."))
                .body("usage.output_tokens", equalTo(3));
        assertEquals(1, groqCalls());
    }

    @Test
    void a_whole_answer_replays_as_a_stream_ending_in_done() {
        answers("Two, three and five are the first three primes of all.", 11, 12);
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "miss");
        String replay = ask(ALICE, REQUEST.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true"))
                .then().statusCode(200).header("x-freeway-cache", "hit").extract().asString();
        List<String> data = Arrays.stream(replay.split("\n\n")).map(e -> e.substring("data: ".length())).toList();
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        data.subList(0, data.size() - 1).forEach(d -> text.append(JsonPath.from(d).getString("choices[0].delta.content")
                == null ? "" : JsonPath.from(d).getString("choices[0].delta.content")));
        assertEquals("Two, three and five are the first three primes of all.", text.toString());
        assertTrue(data.size() > 4, "in several pieces: " + data);
        assertFalse(replay.contains("\"usage\""), "no usage chunk when the request did not ask for one");
    }

    @Test
    void a_stream_the_provider_did_not_finish_is_never_kept() {
        String cut = stream(BIG, List.of("Two,", " three"), 9, 2);
        cut = cut.substring(0, cut.indexOf("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\""
                + ":1764000000,\"model\":\"" + BIG + "\",\"choices\":[{\"index\":0,\"delta\":{},")); // no finish, no [DONE]
        server().stubFor(chat("groq", null).willReturn(sse(cut)));
        String streamed = REQUEST.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
        String body = ask(ALICE, streamed).then().statusCode(200).header("x-freeway-cache", "miss")
                .extract().asString();
        assertTrue(body.contains("upstream_stream_truncated") && !body.contains("[DONE]"), body);
        assertTrue(GatewayView.keys("fw:{cache:*}:e:*").isEmpty(), "nothing kept");
        ask(ALICE, streamed).then().header("x-freeway-cache", "miss");
        assertEquals(2, groqCalls());
    }

    @Test
    void two_client_keys_never_see_each_others_answers() {
        answers("for whoever asked", 11, 7);
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "miss");
        ask(BOB, REQUEST).then().header("x-freeway-cache", "miss");
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "hit");
        ask(BOB, REQUEST).then().header("x-freeway-cache", "hit");
        assertEquals(2, groqCalls());
        List<?> entries = GatewayView.keys("fw:{cache:*}:e:*");
        assertEquals(2, entries.size(), "one kept answer per client: " + entries);
        assertNotEquals(scope(entries.get(0)), scope(entries.get(1)));
        String redis = GatewayView.everythingInRedis();
        assertFalse(redis.contains(ALICE) || redis.contains(BOB), "no client key reaches Redis");
    }

    @Test
    void a_lookup_redis_cannot_answer_is_routed_and_counted_as_an_error() {
        answers("kept", 11, 7);
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "miss");
        double errors = GatewayView.metric("freeway_cache_errors_total", Map.of("operation", "lookup"));
        String entry = (String) GatewayView.keys("fw:{cache:*}:e:*").get(0);
        int port = ProviderDoubles.redis().port();
        Resp.command(port, "DEL", entry);
        Resp.command(port, "SET", entry, "not a kept answer"); // the lookup script now fails (WRONGTYPE)

        Response routed = ask(ALICE, REQUEST);
        routed.then().statusCode(200).header("x-freeway-cache", "miss").header("x-freeway-attempts", "1");
        assertEquals("kept", content(routed));
        assertEquals(2, groqCalls());
        assertEquals(errors + 1, GatewayView.metric("freeway_cache_errors_total", Map.of("operation", "lookup")));
        ask(ALICE, REQUEST).then().header("x-freeway-cache", "hit"); // the miss's put wrote it again
    }

    @Test
    void the_saved_figures_in_status_the_dashboard_and_metrics_match_the_traffic() {
        answers("2, 3, 5", 11, 7);
        server().stubFor(chat("google-gemini", null).willReturn(json(200,
                completion("gemini-2.5-flash", "hello", 20, 5))));
        String gemini = REQUEST.replace("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash");
        Map<String, String> groqInput = Map.of("provider", "groq", "model", BIG, "direction", "input");
        double hitsBefore = GatewayView.metric("freeway_cache_requests_total", Map.of("result", "hit"));
        double missesBefore = GatewayView.metric("freeway_cache_requests_total", Map.of("result", "miss"));
        double skipsBefore = GatewayView.metric("freeway_cache_requests_total", Map.of("result", "skip"));
        double groqInputBefore = GatewayView.metric("freeway_cache_saved_tokens_total", groqInput);
        double valueBefore = GatewayView.metric("freeway_cache_saved_value_usd_total", Map.of());

        for (int i = 0; i < 3; i++) {
            ask(ALICE, REQUEST).then().statusCode(200); // a miss, then two hits
        }
        ask(BOB, gemini).then().header("x-freeway-cache", "miss");
        ask(BOB, gemini).then().header("x-freeway-cache", "hit");
        ask(ALICE, REQUEST, "skip").then().header("x-freeway-cache", "skip");
        ask(ALICE, REQUEST.replace("\"temperature\":0", "\"temperature\":1")).then().header("x-freeway-cache", "skip");

        double groqValue = CacheMetrics.worth(CacheMetrics.price(pool, "groq", BIG), 2 * 11, 2 * 7);
        double geminiValue = CacheMetrics.worth(CacheMetrics.price(pool, "google-gemini", "gemini-2.5-flash"), 20, 5);
        JsonPath status = GatewayView.status();
        assertEquals(true, status.getBoolean("cache.enabled"));
        assertEquals(3, status.getLong("cache.hits"));
        assertEquals(2, status.getLong("cache.misses"));
        assertEquals(0.6, status.getDouble("cache.hit_rate"), 1e-9);
        assertEquals(3, status.getLong("cache.saved_requests"));
        assertEquals(2 * 11 + 20, status.getLong("cache.saved_input_tokens"));
        assertEquals(2 * 7 + 5, status.getLong("cache.saved_output_tokens"));
        assertEquals(groqValue + geminiValue, status.getDouble("cache.saved_value_usd"), 1e-9);
        assertEquals(2, status.getLong("cache.models.find { it.provider == 'groq' }.requests"));
        assertEquals(20, status.getLong("cache.models.find { it.provider == 'google-gemini' }.input_tokens"));
        assertEquals(5, status.getLong("cache.models.find { it.provider == 'google-gemini' }.output_tokens"));
        assertEquals(4, groqCalls() + server().findAll(postRequestedFor(urlEqualTo(
                "/gemini/v1beta/openai/chat/completions"))).size(), "1 + 2 skips on groq, 1 on gemini");
        assertEquals(3, status.getLong("providers.find { it.name == 'groq' }.summary.used_today"),
                "the providers' usage holds only the calls made");

        String page = given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get("/dashboard")
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"cache-saved\">3<"), "the dashboard shows the saved requests");
        assertTrue(page.contains("3 hits, 2 misses (60.0%)"), "and the lookups");
        assertTrue(page.contains("<span id=\"cache-tokens\">61</span>"), "and the saved tokens");
        assertTrue(page.contains(">$" + String.format(java.util.Locale.ROOT, "%.6f", groqValue + geminiValue) + "<"),
                "and their value");

        assertEquals(3, GatewayView.metric("freeway_cache_requests_total", Map.of("result", "hit")) - hitsBefore);
        assertEquals(2, GatewayView.metric("freeway_cache_requests_total", Map.of("result", "miss")) - missesBefore);
        assertEquals(2, GatewayView.metric("freeway_cache_requests_total", Map.of("result", "skip")) - skipsBefore);
        assertEquals(22, GatewayView.metric("freeway_cache_saved_tokens_total", groqInput) - groqInputBefore);
        assertEquals(groqValue + geminiValue,
                GatewayView.metric("freeway_cache_saved_value_usd_total", Map.of()) - valueBefore, 1e-9);
    }

    private static Response anthropic(String body) {
        return given().contentType(ContentType.JSON).header("x-api-key", ALICE).header("anthropic-version", "2023-06-01")
                .body(body).when().post("/v1/messages");
    }

    private static String withoutIds(String events) {
        return events.replaceAll("\"id\":\"msg_[A-Za-z0-9]+\"", "\"id\":\"msg\"");
    }

    private static List<String> textDeltas(String events) {
        return Arrays.stream(events.split("\n\n")).filter(e -> e.startsWith("event: content_block_delta"))
                .map(e -> JsonPath.from(e.substring(e.indexOf("data: ") + 6)).getString("delta.text")).toList();
    }

    private static String scope(Object key) {
        String text = key.toString();
        return text.substring(0, text.indexOf('}'));
    }

    @Test
    void nothing_is_looked_up_before_the_key_is_checked() {
        given().contentType(ContentType.JSON).body(REQUEST).when().post("/v1/chat/completions").then().statusCode(401);
        assertNull(GatewayView.keys("fw:{cache:*}").stream().findFirst().orElse(null), "no figures for a refused call");
    }
}

package dev.freeway.api;

import dev.freeway.support.GatewayView;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.api.CachedAnswersTest.ALICE;
import static dev.freeway.api.CachedAnswersTest.BOB;
import static dev.freeway.api.CachedAnswersTest.REQUEST;
import static dev.freeway.api.CachedAnswersTest.ask;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache off by configuration (the default) but loosened: shared by every client, any temperature, tool calls
 * kept. Nothing is cached unasked; {@code x-freeway-cache: use} opts a request in.
 */
@QuarkusTest
@TestProfile(CacheOptInTest.OffButShared.class)
@QuarkusTestResource(ProviderDoubles.class)
class CacheOptInTest {

    public static class OffButShared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.security.client-keys", ALICE + "," + BOB, "freeway.cache.shared", "true",
                    "freeway.cache.deterministic-only", "false", "freeway.cache.tool-calls", "true",
                    "freeway.security.clients.carol.key", CAROL, "freeway.security.clients.carol.models",
                    "google-gemini", "freeway.security.clients.dave.key", DAVE,
                    "freeway.security.clients.dave.tasks", "creative");
        }
    }

    /** A named client that may use Gemini only. */
    static final String CAROL = "fw-client-carol-90c2";
    /** A named client that may ask for creative work only. */
    static final String DAVE = "fw-client-dave-41d7";

    @Test
    void a_shared_answer_never_reaches_a_client_that_may_not_ask_for_its_task() {
        String task = ask(ALICE, REQUEST, "use").then().statusCode(200).header("x-freeway-cache", "miss")
                .extract().header("x-freeway-task");
        assertFalse("creative".equals(task), "the request is not creative work");
        ask(DAVE, REQUEST, "use").then().statusCode(403).body("error.code", equalTo("task_not_allowed"));
        assertEquals(1, groqCalls(), "dave's request reached no one");
    }

    @Test
    void a_shared_answer_never_reaches_a_client_whose_models_exclude_the_one_that_gave_it() {
        ask(ALICE, REQUEST, "use").then().statusCode(200).header("x-freeway-cache", "miss");
        ask(CAROL, REQUEST, "use").then().statusCode(403).body("error.code", equalTo("model_not_allowed"))
                .header("x-freeway-cache", nullValue());
        assertEquals(1, groqCalls(), "the kept answer was not handed to carol, and carol's request reached no one");
        ask(BOB, REQUEST, "use").then().statusCode(200).header("x-freeway-cache", "hit");
    }

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "shared", 11, 7))));
    }

    private static int groqCalls() {
        return server().findAll(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))).size();
    }

    @Test
    void with_the_cache_off_nothing_is_cached_unasked_and_no_header_is_sent() {
        ask(ALICE, REQUEST).then().statusCode(200).header("x-freeway-cache", nullValue());
        ask(ALICE, REQUEST).then().statusCode(200).header("x-freeway-cache", nullValue());
        assertEquals(2, groqCalls());
        assertTrue(GatewayView.keys("fw:{cache:*").isEmpty(), "the cache wrote nothing");
        JsonPath status = GatewayView.status();
        assertFalse(status.getBoolean("cache.enabled"));
        assertEquals(0, status.getLong("cache.hits") + status.getLong("cache.misses"));
    }

    @Test
    void use_opts_one_request_in_and_a_shared_cache_serves_every_client() {
        ask(ALICE, REQUEST, "use").then().statusCode(200).header("x-freeway-cache", "miss");
        ask(BOB, REQUEST, "use").then().statusCode(200).header("x-freeway-cache", "hit")
                .body("choices[0].message.content", equalTo("shared"));
        ask(BOB, REQUEST).then().header("x-freeway-cache", nullValue()).header("x-freeway-attempts", "1");
        assertEquals(2, groqCalls());
        assertEquals(1, GatewayView.keys("fw:{cache:shared}:e:*").size());
        JsonPath status = GatewayView.status();
        assertTrue(status.getBoolean("cache.shared"));
        assertEquals(1, status.getLong("cache.hits"));
        assertEquals(1, status.getLong("cache.saved_requests"));
    }

    @Test
    void configured_so_a_warm_request_whose_answer_calls_tools_is_cached() {
        server().stubFor(chat("groq", null).willReturn(json(200, """
                {"id":"chatcmpl-t","object":"chat.completion","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1",\
                "type":"function","function":{"name":"lookup","arguments":"{}"}}]},"finish_reason":"tool_calls"}],\
                "usage":{"prompt_tokens":30,"completion_tokens":9,"total_tokens":39}}""")));
        String warm = REQUEST.replace("\"temperature\":0", "\"temperature\":0.9");
        ask(ALICE, warm, "use").then().header("x-freeway-cache", "miss");
        ask(ALICE, warm, "use").then().header("x-freeway-cache", "hit")
                .body("choices[0].message.tool_calls[0].function.name", equalTo("lookup"));
        assertEquals(1, groqCalls());
    }

    @Test
    void embeddings_are_cached_through_the_same_door() {
        server().stubFor(post(urlEqualTo("/gemini/v1beta/openai/embeddings")).willReturn(json(200, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5,0.125]}],
                 "model":"gemini-embedding-001","usage":{"prompt_tokens":3,"total_tokens":3}}""")));
        String body = "{\"model\":\"google-gemini/gemini-embedding-001\",\"input\":\"hello world\"}";
        for (String expected : new String[]{"miss", "hit"}) {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ALICE)
                    .header("x-freeway-cache", "use").body(body).when().post("/v1/embeddings")
                    .then().statusCode(200).header("x-freeway-cache", expected)
                    .body("data[0].embedding[1]", equalTo(-0.5f)).body("usage.prompt_tokens", equalTo(3));
        }
        assertEquals(1, server().findAll(postRequestedFor(urlEqualTo("/gemini/v1beta/openai/embeddings"))).size());
        assertEquals(3, GatewayView.status().getLong("cache.saved_input_tokens"));
    }

    @Test
    void an_embeddings_answer_the_door_cannot_pass_on_is_not_kept() {
        // two inputs, one vector: the door answers 502, and the next identical request asks the provider again
        server().stubFor(post(urlEqualTo("/gemini/v1beta/openai/embeddings")).willReturn(json(200, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5,0.125]}],
                 "model":"gemini-embedding-001","usage":{"prompt_tokens":3,"total_tokens":3}}""")));
        String body = "{\"model\":\"google-gemini/gemini-embedding-001\",\"input\":[\"hello\",\"world\"]}";
        for (int call = 0; call < 2; call++) {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ALICE)
                    .header("x-freeway-cache", "use").body(body).when().post("/v1/embeddings")
                    .then().statusCode(502).body("error.code", equalTo("bad_upstream_answer"));
        }
        assertEquals(2, server().findAll(postRequestedFor(urlEqualTo("/gemini/v1beta/openai/embeddings"))).size());
        assertTrue(GatewayView.keys("fw:{cache:shared}:e:*").isEmpty(), "nothing was kept");
    }
}

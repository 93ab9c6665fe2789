package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** The interim fallback: accounts in order, moving on for exhausted, transient, failing and refused keys. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class FallbackTest {

    static final String GROQ_TPD = """
            {"error":{"message":"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_01m1wxvf55eaz8efnp1ztvd88j` service tier `on_demand` on tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}""";
    static final String REQUEST = """
            {"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}""";
    /** Groq only: Hugging Face's router serves the same id and would be the next candidate. */
    static final String GROQ_ONLY = """
            {"model":"groq/openai/gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}""";

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void an_exhausted_account_hands_the_request_to_the_next_account() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, GROQ_TPD)));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "from b", 3, 2))));

        given().contentType(ContentType.JSON).body(REQUEST).when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-account", "team-b")
                .header("x-freeway-attempts", "2")
                .body("choices[0].message.content", equalTo("from b"));
    }

    @Test
    void when_every_account_of_a_provider_is_exhausted_the_next_provider_serving_the_model_answers() {
        server().stubFor(chat("groq", null).willReturn(json(429, GROQ_TPD)));
        server().stubFor(chat("huggingface-router", null)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "from hf", 3, 2))));

        given().contentType(ContentType.JSON).body(REQUEST).when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-provider", "huggingface-router")
                .header("x-freeway-attempts", "3");
    }

    @Test
    void a_refused_key_and_a_5xx_move_on_too() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(401,
                "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B).willReturn(json(503, "{\"error\":{\"message\":\"overloaded\"}}")));

        given().contentType(ContentType.JSON).body(GROQ_ONLY).when().post("/v1/chat/completions")
                .then().statusCode(502)
                .header("x-should-retry", "true")
                .body("error.type", equalTo("server_error"))
                .body("error.candidates", hasSize(3))
                .body("error.candidates[0].why", equalTo("key_refused"))
                .body("error.candidates[0].reason", containsString("credentials_rejected"))
                .body("error.candidates[1].why", equalTo("failed"))
                .body("error.candidates[2].why", equalTo("failed"));
        // team-b's 503 was retried once: each of its two calls is one candidate entry and one upstream call
        server().verify(2, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        "Bearer " + ProviderDoubles.GROQ_KEY_B)));
    }

    @Test
    void an_exhausted_pool_answers_429_with_retry_after_and_why_each_candidate_was_skipped() {
        server().stubFor(chat("groq", null).willReturn(json(429, GROQ_TPD)));

        given().contentType(ContentType.JSON).body(GROQ_ONLY).when().post("/v1/chat/completions")
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.candidates", hasSize(2))
                .body("error.candidates[0].candidate", equalTo("groq/openai/gpt-oss-120b"))
                .body("error.candidates[0].account", equalTo("team-a"))
                .body("error.retry_at", notNullValue());
    }

    @Test
    void a_client_error_is_answered_at_once_and_never_retried_elsewhere() {
        server().stubFor(chat("groq", null).willReturn(json(400,
                "{\"error\":{\"message\":\"'messages.0' : discriminator property 'role' has invalid value\",\"type\":\"invalid_request_error\"}}")));

        given().contentType(ContentType.JSON).body(REQUEST).when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));

        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions")));
    }

    @Test
    void a_content_filter_refusal_is_a_400_without_fallback() {
        server().stubFor(chat("moonshot-kimi", null).willReturn(json(400,
                "{\"error\":{\"message\":\"The request was rejected because it was considered high risk\",\"type\":\"content_filter\"}}")));

        given().contentType(ContentType.JSON)
                .body("{\"model\":\"moonshot-kimi/kimi-k2.6\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.code", equalTo("content_filter"));
    }

    @Test
    void a_server_that_refuses_connections_is_a_502_and_one_that_hangs_a_504() {
        server().stubFor(chat("local-vllm", null).willReturn(json(200, completion("qwen3-8b", "late", 1, 1))
                .withFixedDelay(4000)));

        given().contentType(ContentType.JSON)
                .body("{\"model\":\"local-vllm/qwen3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(504).body("error.code", equalTo("upstream_timeout"));
    }
}

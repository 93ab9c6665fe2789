package dev.freeway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.freeway.quota.TokenEstimator;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.GatewayView.chat;
import static dev.freeway.support.GatewayView.keys;
import static dev.freeway.support.GatewayView.ledger;
import static dev.freeway.support.GatewayView.used;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters say what the providers were asked for and did: estimates that cannot overflow and include every
 * choice, usage counted by Freeway when the provider reports none, and one reservation for every upstream call.
 */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class ExactCountingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenEstimator ESTIMATOR = new TokenEstimator(1024);
    private static final String CEREBRAS = "cerebras/gpt-oss-120b";

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_max_tokens_no_integer_type_holds_is_a_400_naming_it_and_counts_nothing() {
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            for (String number : List.of("9223372036854775807", "2147483648", "0", "-1",
                    "1" + "0".repeat(1500))) {
                chat("{\"model\":\"" + CEREBRAS + "\",\"" + field + "\":" + number
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                        .then().statusCode(400).header("x-should-retry", "false")
                        .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                        .body("error.param", number.length() > 100 ? org.hamcrest.Matchers.nullValue()
                                : org.hamcrest.Matchers.equalTo(field));
            }
        }
        assertEquals(List.of(), keys("fw:*"), "nothing counted, leased or flagged");
        server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void an_answer_without_usage_is_counted_from_the_prompt_estimate_and_the_tokens_of_what_came_back()
            throws Exception {
        String content = "The quick brown fox jumps over the lazy dog, twice over and then once more.";
        server().stubFor(ProviderDoubles.chat("cerebras", null).willReturn(json(200, """
                {"id":"c1","object":"chat.completion","created":1,"model":"gpt-oss-120b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}"""
                .formatted(content))));
        String body = "{\"model\":\"" + CEREBRAS + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Write it\"}]}";

        chat(body).then().statusCode(200);

        long expected = ESTIMATOR.promptTokens(JSON.readTree(body)) + ESTIMATOR.tokens(content);
        assertEquals(expected, used("cerebras", "main", "gpt-oss-120b", "tokens", "rolling 60s"),
                "not 0: the estimate of the prompt plus the tokens of the answer");
        assertEquals(1, ledger("cerebras:main", "estimated:gpt-oss-120b"), "the ledger marks the entry estimated");
    }

    @Test
    void a_stream_without_its_usage_chunk_is_counted_from_what_was_relayed() throws Exception {
        List<String> deltas = List.of("Counting", " one,", " two,", " three.");
        String upstream = ProviderDoubles.stream("gpt-oss-120b", deltas, 1, 1);
        String withoutUsage = upstream.replaceAll("data: \\{[^\\n]*\"choices\":\\[\\],\"usage\"[^\\n]*\\n\\n", "");
        server().stubFor(ProviderDoubles.chat("cerebras", null).willReturn(sse(withoutUsage)));
        String body = "{\"model\":\"" + CEREBRAS + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Count\"}]}";

        String events = chat(body).then().statusCode(200).extract().asString();

        assertTrue(events.trim().endsWith("data: [DONE]"), events);
        long relayed = deltas.stream().mapToLong(ESTIMATOR::tokens).sum();
        assertEquals(ESTIMATOR.promptTokens(JSON.readTree(body)) + relayed,
                used("cerebras", "main", "gpt-oss-120b", "tokens", "rolling 60s"));
        assertEquals(1, ledger("cerebras:main", "estimated:gpt-oss-120b"));
    }

    @Test
    void every_choice_is_reserved_so_n_choices_that_can_never_fit_a_rule_are_a_400_naming_it() {
        // 8 choices of 1,001 tokens can never fit Groq's 8,000 tokens a minute: reserved as 1,001 before, admitted
        chat("{\"model\":\"groq/openai/gpt-oss-120b\",\"n\":8,\"max_tokens\":1001,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(400).header("x-should-retry", "false")
                .body("error.code", org.hamcrest.Matchers.equalTo("exceeds_limit"))
                .body("error.param", org.hamcrest.Matchers.equalTo("max_tokens"))
                .body("error.message", containsString("tokens:minute:model"))
                .body("error.message", containsString("8000"));
        server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void without_max_tokens_the_models_max_output_is_reserved_and_a_short_rule_grants_less_sent_as_max_tokens()
            throws Exception {
        server().stubFor(ProviderDoubles.chat("cerebras", null).willReturn(json(200, completion("gpt-oss-120b", "ok",
                10, 5)).withFixedDelay(1500)));
        String body = "{\"model\":\"" + CEREBRAS + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        long prompt = ESTIMATOR.promptTokens(JSON.readTree(body));

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> chat(body).statusCode());
        Thread.sleep(700);
        // the first call holds its whole grant (30,000 a minute less its prompt): a second cannot fit beside it
        chat(body).then().statusCode(429).header("x-should-retry", "true")
                .body("error.candidates[0].why", org.hamcrest.Matchers.equalTo("no_room"));
        assertEquals(200, first.get());
        server().verify(postRequestedFor(urlEqualTo("/cerebras/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo(String.valueOf(30_000 - prompt)))));
        // settled to its real 15 tokens, the minute has room again
        chat(body).then().statusCode(200);
        assertEquals(30, used("cerebras", "main", "gpt-oss-120b", "tokens", "rolling 60s"));
    }

    @Test
    void a_retried_5xx_is_two_upstream_calls_and_two_counted_requests() {
        holdBack("groq:team-b");
        server().stubFor(ProviderDoubles.chat("groq", ProviderDoubles.GROQ_KEY_A).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(json(500, "{\"error\":{\"message\":\"internal\"}}")));
        server().stubFor(ProviderDoubles.chat("groq", ProviderDoubles.GROQ_KEY_A).inScenario("flaky")
                .whenScenarioStateIs("recovered").willReturn(json(200, completion("openai/gpt-oss-120b", "ok", 3, 2))));

        chat("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).header("x-freeway-attempts", "2");

        server().verify(2, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions")));
        assertEquals(2, used("groq", "team-a", "openai/gpt-oss-120b", "requests", "minute"),
                "the provider may have counted the failed call: so does Freeway, with a reservation of its own");
    }

    @Test
    void a_provider_that_counts_failed_calls_is_counted_for_them_and_one_that_does_not_is_not() {
        String limited = "{\"error\":{\"message\":\"Rate limit exceeded: limit_rpm/openai/gpt-oss-20b\",\"code\":429}}";
        server().stubFor(ProviderDoubles.chat("openrouter", null).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("free")
                .willReturn(json(429, limited).withHeader("Retry-After", "1")));
        server().stubFor(ProviderDoubles.chat("openrouter", null).inScenario("busy")
                .whenScenarioStateIs("free").willReturn(json(200, completion("openai/gpt-oss-20b:free", "ok", 3, 2))));

        chat("{\"model\":\"openrouter/openai/gpt-oss-20b:free\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).header("x-freeway-attempts", "2");

        server().verify(2, postRequestedFor(urlEqualTo("/openrouter/api/v1/chat/completions")));
        assertEquals(2, used("openrouter", "main", "openai/gpt-oss-20b:free", "requests", "day"),
                "OpenRouter counts failed attempts against its daily limit, so Freeway does");
    }

    @Test
    void a_model_id_with_control_characters_is_a_400_before_routing() {
        for (String id : List.of("pa/m1\\r\\nX-Injected: 1", "groq/openai/gpt-oss-120b\\u0000", "has space",
                "x".repeat(300))) {
            chat("{\"model\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .then().statusCode(400).header("x-should-retry", equalToIgnoringCase("false"))
                    .body("error.param", org.hamcrest.Matchers.equalTo("model"));
        }
        server().verify(0, anyRequestedFor(anyUrl()));
        assertEquals(List.of(), keys("fw:*"));
    }

    private static void holdBack(String account) {
        dev.freeway.support.Resp.command(ProviderDoubles.redis().port(), "SET", "fw:{acct:" + account + "}:park",
                (System.currentTimeMillis() + 600_000) + " exhausted held back by the test", "PX", "600000");
    }
}

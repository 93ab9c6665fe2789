package dev.freeway.api;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** Every way a provider fails is routed around before the client sees an error; parked accounts are not called. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class FallbackPathsTest {

    private static final String GROQ = """
            {"model":"groq/openai/gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}""";
    private static final String GROQ_RPM = """
            {"error":{"message":"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_1` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 40s.","type":"requests","code":"rate_limit_exceeded"}}""";

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_transient_429_moves_on_and_parks_the_account_for_the_wait_it_named() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, GROQ_RPM)
                .withHeader("retry-after", "40")));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "b", 3, 1))));

        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");

        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A)));
    }

    @Test
    void a_per_day_429_parks_the_model_and_later_requests_skip_it_without_calling_upstream() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, FallbackTest.GROQ_TPD)));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "b", 3, 1))));

        for (int i = 0; i < 4; i++) {
            post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
        }
        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A)));
    }

    @Test
    void a_reset_connection_moves_on() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "b", 3, 1))));

        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
    }

    @Test
    void a_refused_key_parks_its_account_as_rejected_and_is_not_tried_again() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(401,
                "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "b", 3, 1))));

        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");

        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A)));
    }

    @Test
    void a_prompt_too_long_moves_to_a_candidate_with_a_larger_window() {
        server().stubFor(chat("groq", null).willReturn(json(400, """
                {"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")));
        server().stubFor(chat("zai", null).willReturn(json(200, completion("glm-4.7-flash", "z", 3, 1))));

        // coding: groq gpt-oss-120b (131K) first, cerebras (65K) is not larger, Z.AI GLM-4.7-Flash (200K) is
        post("""
                {"model":"auto:coding","messages":[{"role":"user","content":"Refactor this function"}]}""")
                .then().statusCode(200)
                .header("x-freeway-provider", "zai")
                .header("x-freeway-task", "coding")
                .header("x-freeway-attempts", "2");
        server().verify(0, postRequestedFor(urlEqualTo("/cerebras/v1/chat/completions")));
    }

    @Test
    void a_request_larger_than_one_models_per_minute_budget_still_goes_to_candidates_with_smaller_windows() {
        server().stubFor(chat("groq", null).willReturn(json(413, """
                {"error":{"message":"Request too large for model `openai/gpt-oss-120b` in organization `org_1` service tier `on_demand` on tokens per minute (TPM): Limit 8000, Requested 9500, please reduce your message size and try again.","type":"tokens","code":"rate_limit_exceeded"}}""")));
        server().stubFor(chat("cerebras", null).willReturn(json(200, completion("gpt-oss-120b", "c", 3, 1))));

        // coding: groq (131K) first; its 413 is about its tokens-per-minute budget, not the prompt's length, so
        // cerebras (65K) is still tried
        post("""
                {"model":"auto:coding","messages":[{"role":"user","content":"Refactor this function"}]}""")
                .then().statusCode(200)
                .header("x-freeway-provider", "cerebras");
    }

    @Test
    void a_prompt_too_long_for_every_candidate_left_is_a_400_context_length_exceeded_not_a_503() {
        server().stubFor(chat("groq", null).willReturn(json(400, """
                {"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")));

        post(GROQ).then().statusCode(400)
                .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                .body("error.code", org.hamcrest.Matchers.equalTo("context_length_exceeded"))
                .body("error.param", org.hamcrest.Matchers.equalTo("messages"))
                .header("x-should-retry", "false");
    }

    @Test
    void an_exhausted_answer_without_a_time_says_when_freeway_parked_the_account_not_a_minute() {
        // credits used up: the account is parked a day (they do not come back by themselves); so says Retry-After
        server().stubFor(chat("local-vllm", null).willReturn(json(429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","code":"insufficient_quota"}}""")));

        var refused = post("""
                {"model":"local-vllm/qwen3-8b","messages":[{"role":"user","content":"Hi"}]}""");

        refused.then().statusCode(429);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        org.junit.jupiter.api.Assertions.assertTrue(retryAfter > 86_000 && retryAfter <= 86_400, "when the parking ends: " + retryAfter);
        var again = post("""
                {"model":"local-vllm/qwen3-8b","messages":[{"role":"user","content":"Hi"}]}""");
        again.then().statusCode(429);
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(Long.parseLong(again.header("Retry-After")) - retryAfter) <= 2,
                "the first refusal and the parked account's say the same");
    }

    @Test
    void an_exhausted_answer_whose_wait_is_already_over_parks_until_the_window_resets_not_never() {
        // a per-day limit spent, "try again in 0s": no wait at all, so the model is parked as if none were named
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429,
                FallbackTest.GROQ_TPD.replace("6m30.096s", "0s"))));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "b", 3, 1))));

        for (int i = 0; i < 3; i++) {
            post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
        }

        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A)));
    }

    @Test
    void a_served_response_says_what_is_left_of_the_accounts_limits() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "x", 3, 1))));

        post(GROQ).then().statusCode(200)
                .header("x-ratelimit-remaining-requests", notNullValue())
                .header("x-ratelimit-remaining-tokens", notNullValue())
                .header("x-ratelimit-reset-requests", notNullValue());
    }

    @Test
    void what_groq_reports_about_its_remaining_daily_requests_corrects_freeways_counters() {
        server().stubFor(chat("groq", null).willReturn(json(200,
                completion("openai/gpt-oss-120b", "x", 3, 1))
                .withHeader("x-ratelimit-limit-requests", "1000")
                .withHeader("x-ratelimit-remaining-requests", "5")
                .withHeader("x-ratelimit-reset-requests", "2m59.56s")
                .withHeader("x-ratelimit-limit-tokens", "8000")
                .withHeader("x-ratelimit-remaining-tokens", "7000")
                .withHeader("x-ratelimit-reset-tokens", "7.66s")));

        // round robin: team-a, team-b, team-a. Freeway counted 1 of 1000 for team-a's first call, Groq said 995
        // were used, so team-a's next call leaves at most 4.
        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-a");
        post(GROQ).then().statusCode(200).header("x-freeway-account", "team-b");
        String left = post(GROQ).then().statusCode(200).header("x-freeway-account", "team-a")
                .extract().header("x-ratelimit-remaining-requests");
        org.junit.jupiter.api.Assertions.assertTrue(Long.parseLong(left) <= 4, "remaining was " + left);
    }

    @Test
    void a_task_header_names_the_task_and_an_unknown_one_is_a_400() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "x", 3, 1))));
        given().contentType(ContentType.JSON).header("x-freeway-task", "reasoning").body(GROQ)
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-freeway-task", "reasoning");
        given().contentType(ContentType.JSON).header("x-freeway-task", "poetry").body(GROQ)
                .when().post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", containsString("coding"));
    }

    @Test
    void an_unknown_alias_is_model_not_found_listing_the_valid_ones() {
        post("{\"model\":\"auto:poetry\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").then()
                .statusCode(404).body("error.code", is("model_not_found"))
                .body("error.message", containsString("auto:max_context"));
    }

    /** A fault in Freeway itself (here its provider adapter throws) is a clear 503 that names no internals. */
    @Test
    void a_failure_inside_freeway_answers_503_routing_failed_without_its_cause() {
        io.quarkus.test.junit.QuarkusMock.installMockForType(new dev.freeway.provider.OpenAiCompatibleProvider(null, null,
                null, null) {
            @Override
            public dev.freeway.provider.Reply complete(dev.freeway.provider.ProviderCall call) {
                throw new IllegalStateException("a bug in the adapter, key sk-should-not-show");
            }
        }, dev.freeway.provider.OpenAiCompatibleProvider.class);

        String body = post(GROQ).then().statusCode(503)
                .body("error.code", is("routing_failed"))
                .body("error.message", containsString("could not route this request"))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("a bug") || body.contains("sk-should-not-show")
                || body.contains("IllegalStateException"), body);
    }

    private static io.restassured.response.Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }
}

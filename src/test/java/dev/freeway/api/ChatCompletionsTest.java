package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class ChatCompletionsTest {

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void a_completion_is_forwarded_with_the_providers_model_and_key_and_says_what_served_it() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A)
                .willReturn(json(200, completion("openai/gpt-oss-120b", "Hello!", 12, 3))));

        given().contentType(ContentType.JSON)
                .body("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-provider", "groq")
                .header("x-freeway-model", "openai/gpt-oss-120b")
                .header("x-freeway-account", "team-a")
                .header("x-freeway-attempts", "1")
                .body("choices[0].message.content", is("Hello!"))
                .body("usage.total_tokens", is(15));

        server().verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A))
                .withRequestBody(matchingJsonPath("$.model", equalTo("openai/gpt-oss-120b"))));
    }

    @Test
    void request_fields_pass_through_including_unknown_ones_and_image_parts() {
        server().stubFor(chat("google-gemini", null).willReturn(json(200, completion("gemini-2.5-flash", "ok", 5, 1))));
        String body = """
                {"model":"google-gemini/gemini-2.5-flash","temperature":0.2,"top_p":0.9,"max_tokens":50,"seed":7,
                 "stop":["END"],"user":"u-1","response_format":{"type":"json_object"},
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
                 "tool_choice":"auto","reasoning_effort":"low","extra_body":{"google":{"cached_content":"c1"}},
                 "messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}""";

        given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions").then().statusCode(200);

        server().verify(postRequestedFor(urlEqualTo("/gemini/v1beta/openai/chat/completions"))
                .withRequestBody(equalToJson("""
                        {"model":"gemini-2.5-flash","temperature":0.2,"top_p":0.9,"max_tokens":50,"seed":7,
                         "stop":["END"],"user":"u-1","response_format":{"type":"json_object"},
                         "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
                         "tool_choice":"auto","reasoning_effort":"low","extra_body":{"google":{"cached_content":"c1"}},
                         "messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                           {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}""")));
    }

    @Test
    void groq_gets_no_logprobs_logit_bias_or_message_names_and_n_is_one() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-20b", "ok", 5, 1))));
        given().contentType(ContentType.JSON).body("""
                        {"model":"groq/openai/gpt-oss-20b","logprobs":true,"top_logprobs":2,"logit_bias":{"1":1},"n":3,
                         "messages":[{"role":"user","name":"ann","content":"hi"}]}""")
                .when().post("/v1/chat/completions").then().statusCode(200);

        server().verify(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.logprobs", absent()))
                .withRequestBody(matchingJsonPath("$.top_logprobs", absent()))
                .withRequestBody(matchingJsonPath("$.logit_bias", absent()))
                .withRequestBody(matchingJsonPath("$.messages[0].name", absent()))
                .withRequestBody(matchingJsonPath("$.n", equalTo("1"))));
    }

    @Test
    void kimi_gets_no_sampling_parameters() {
        server().stubFor(chat("moonshot-kimi", null).willReturn(json(200, completion("kimi-k2.6", "ok", 5, 1))));
        given().contentType(ContentType.JSON).body("""
                        {"model":"moonshot-kimi/kimi-k2.6","temperature":0.3,"top_p":0.5,"n":2,"presence_penalty":1,
                         "frequency_penalty":1,"max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""")
                .when().post("/v1/chat/completions").then().statusCode(200);

        server().verify(postRequestedFor(urlEqualTo("/moonshot/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.temperature", absent()))
                .withRequestBody(matchingJsonPath("$.top_p", absent()))
                .withRequestBody(matchingJsonPath("$.n", absent()))
                .withRequestBody(matchingJsonPath("$.presence_penalty", absent()))
                .withRequestBody(matchingJsonPath("$.frequency_penalty", absent()))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("20"))));
    }

    @Test
    void zai_only_gets_tool_choice_auto() {
        server().stubFor(chat("zai", null).willReturn(json(200, completion("glm-4.7-flash", "ok", 5, 1))));
        given().contentType(ContentType.JSON).body("""
                        {"model":"zai/glm-4.7-flash","tool_choice":{"type":"function","function":{"name":"f"}},
                         "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
                         "messages":[{"role":"user","content":"hi"}]}""")
                .when().post("/v1/chat/completions").then().statusCode(200);

        server().verify(postRequestedFor(urlEqualTo("/zai/api/paas/v4/chat/completions"))
                .withRequestBody(matchingJsonPath("$.tool_choice", equalTo("auto"))));
    }

    @Test
    void dashscope_qwen3_non_streaming_calls_turn_thinking_off() {
        server().stubFor(chat("dashscope-intl", null).willReturn(json(200, completion("qwen3-max", "ok", 5, 1))));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"dashscope-intl/qwen3-max\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);

        server().verify(postRequestedFor(urlEqualTo("/dashscope/compatible-mode/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.enable_thinking", equalTo("false"))));
    }

    @Test
    void a_generic_openai_compatible_server_needs_no_key_header() {
        server().stubFor(chat("local-vllm", null).willReturn(json(200, completion("qwen3-8b", "local", 5, 1))));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"qwen3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .header("x-freeway-provider", "local-vllm");

        server().verify(postRequestedFor(urlEqualTo("/vllm/v1/chat/completions"))
                .withoutHeader("Authorization"));
    }

    @Test
    void no_response_carries_a_key() {
        server().stubFor(chat("groq", null).willReturn(json(401,
                "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().body(not(containsString("gsk_")));
    }
}

package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class ModelsResourceTest {

    @Test
    void lists_every_routable_model_in_openais_list_shape() {
        given().when().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash",
                        "local-vllm/qwen3-8b"))
                .body("data.id", not(hasItems("groq/llama-3.3-70b-versatile")))
                .body("data[0].object", equalTo("model"));
    }

    @Test
    void one_model_is_found_by_id_and_an_unknown_one_is_model_not_found() {
        given().when().get("/v1/models/groq/openai/gpt-oss-120b").then().statusCode(200)
                .body("owned_by", equalTo("groq"));
        given().when().get("/v1/models/nope").then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void auto_every_task_alias_and_every_configured_alias_are_listed_before_provider_models() {
        given().when().get("/v1/models").then().statusCode(200)
                .body("data[0].id", equalTo("auto"))
                .body("data.id", hasItems("auto:simple", "auto:coding", "auto:reasoning", "auto:creative",
                        "auto:max_context", "claude-sonnet-4-5", "gpt-4o"))
                .body("data.find { it.id == 'gpt-4o' }.alias_for", equalTo("groq/openai/gpt-oss-120b"))
                .body("data.find { it.id == 'claude-sonnet-4-5' }.alias_for", equalTo("auto:coding"))
                .body("data.find { it.id == 'auto:coding' }.owned_by", equalTo("freeway"));
    }

    @Test
    void auto_a_task_alias_and_a_configured_alias_answer_by_id() {
        given().when().get("/v1/models/auto").then().statusCode(200)
                .body("id", equalTo("auto")).body("object", equalTo("model")).body("owned_by", equalTo("freeway"));
        given().when().get("/v1/models/auto:reasoning").then().statusCode(200).body("id", equalTo("auto:reasoning"));
        given().when().get("/v1/models/gpt-4o").then().statusCode(200)
                .body("alias_for", equalTo("groq/openai/gpt-oss-120b"));
    }

    @Test
    void a_chat_request_naming_an_alias_is_routed_to_what_it_stands_for() {
        ProviderDoubles.reset();
        ProviderDoubles.server().stubFor(ProviderDoubles.chat("groq", null).willReturn(ProviderDoubles.json(200,
                ProviderDoubles.completion("openai/gpt-oss-120b", "Ahoy", 5, 1))));

        given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-freeway-provider", "groq")
                .header("x-freeway-model", "openai/gpt-oss-120b");
        ProviderDoubles.server().verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/groq/openai/v1/chat/completions"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.model",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("openai/gpt-oss-120b"))));
    }
}

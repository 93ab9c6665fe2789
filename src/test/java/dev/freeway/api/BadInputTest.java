package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Bad input gets an OpenAI-shaped 4xx, and nothing reaches a provider. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class BadInputTest {

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @AfterEach
    void nothing_reached_a_provider() {
        server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void malformed_json_is_a_400() {
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("not valid JSON"));
    }

    @Test
    void missing_messages_is_a_400_naming_the_param() {
        post("{\"model\":\"groq/openai/gpt-oss-120b\"}").then().statusCode(400)
                .body("error.param", equalTo("messages"))
                .body("error.code", equalTo("invalid_request_error"));
    }

    @Test
    void wrong_types_are_400s_naming_the_param() {
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":\"hi\"}").then().statusCode(400)
                .body("error.param", equalTo("messages"));
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"ten\"}")
                .then().statusCode(400).body("error.param", equalTo("max_tokens"));
        post("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").then().statusCode(400)
                .body("error.param", equalTo("model"));
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .then().statusCode(400).body("error.param", equalTo("messages[0].role"));
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then().statusCode(400).body("error.param", equalTo("stream"));
        post("[1,2]").then().statusCode(400).body("error.param", nullValue());
    }

    @Test
    void an_unknown_model_is_a_404_model_not_found() {
        post("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").then()
                .statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"));
    }

    @Test
    void a_retired_model_is_a_404_that_names_its_replacement() {
        post("{\"model\":\"llama-3.3-70b-versatile\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").then()
                .statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("openai/gpt-oss-120b"));
        post("{\"model\":\"groq/mixtral-8x7b-32768\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").then()
                .statusCode(404).body("error.message", containsString("retired"));
    }

    @Test
    void a_body_over_the_size_limit_is_a_413() {
        String big = "x".repeat(5 * 1024 * 1024);
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .then().statusCode(413).body("error.code", equalTo("request_too_large"));
    }

    @Test
    void an_unknown_endpoint_is_an_openai_shaped_404() {
        given().when().get("/v1/nothing-here").then().statusCode(404).body("error.type", equalTo("invalid_request_error"));
    }

    private static io.restassured.response.Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }
}

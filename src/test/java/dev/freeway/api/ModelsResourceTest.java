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
}

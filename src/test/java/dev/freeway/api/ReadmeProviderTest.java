package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import dev.freeway.support.ReadmeProvider;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code auto} against the README's own example provider, a model with only {@code context-window}: it declares no
 * strengths and no capabilities, so every task and every capability may use it.
 */
@QuarkusTest
@TestProfile(ReadmeProviderTest.OnlyTheReadmeProvider.class)
class ReadmeProviderTest {

    public static class OnlyTheReadmeProvider implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ReadmeProvider.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @BeforeAll
    static void answer() {
        ReadmeProvider.server().stubFor(post(urlEqualTo(ReadmeProvider.PATH + "/chat/completions"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(ProviderDoubles.completion("qwen3-8b", "ok", 12, 3))));
    }

    @Test
    void auto_with_tools_is_served() {
        ask("""
                {"model":"auto","messages":[{"role":"user","content":"What is the weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]}""",
                "coding");
    }

    @Test
    void auto_coding_is_served() {
        ask("{\"model\":\"auto:coding\",\"messages\":[{\"role\":\"user\",\"content\":\"Refactor this loop\"}]}",
                "coding");
    }

    @Test
    void a_poem_is_served() {
        ask("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"write a poem about the sea\"}]}",
                "creative");
    }

    @Test
    void auto_in_json_mode_is_served() {
        ask("""
                {"model":"auto","response_format":{"type":"json_object"},
                 "messages":[{"role":"user","content":"Give me a JSON object with a greeting"}]}""", null);
    }

    @Test
    void every_task_route_in_status_leads_to_the_model_and_none_blames_a_circuit() {
        JsonPath status = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).get("/v1/status")
                .then().statusCode(200).extract().jsonPath();
        for (String task : List.of("simple", "coding", "reasoning", "creative", "max_context")) {
            String route = "routing.tasks.find { it.task == '" + task + "' }";
            assertEquals(List.of("local-vllm/qwen3-8b"), status.getList(route + ".chain.candidate"), task);
            assertNull(status.get(route + ".reason"), task);
        }
    }

    private static void ask(String body, String task) {
        var response = given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-freeway-provider", "local-vllm")
                .header("x-freeway-model", "qwen3-8b").body("choices[0].message.content", equalTo("ok"));
        if (task != null) {
            response.header("x-freeway-task", task);
        }
    }
}

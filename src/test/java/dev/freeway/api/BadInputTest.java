package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        post("{\"model\":\"groq/openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .then().statusCode(400).body("error.param", equalTo("stream_options"));
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

    @Test
    void hostile_json_is_a_400_in_openais_shape_never_a_500() {
        String message = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        String model = "\"model\":\"groq/openai/gpt-oss-120b\",";
        List<String> bodies = List.of(
                "{" + model + message + ",\"deep\":" + "[".repeat(1001) + "]".repeat(1001) + "}",
                "{" + model + message + ",\"n\":" + "7".repeat(2000) + "}",
                "{" + model + message + ",\"max_tokens\":" + "9".repeat(1500) + "}",
                "{" + model + message + ",\"" + "f".repeat(60_000) + "\":1}",
                "{" + model + message + "} {\"model\":\"other\"}",
                "{" + model + message + "}garbage",
                "{" + model + model + message + "}",
                "{" + model + message + ",\"temperature\":1e309}",
                "{" + model + message + ",\"extra\":{\"deep\":[-1e400]}}",
                "{" + model + message + ",\"temperature\":NaN}",
                "{" + model + message + ",\"temperature\":7}",
                "{" + model + message + ",\"n\":129}");
        for (String body : bodies) {
            post(body).then().statusCode(400).header("x-should-retry", "false")
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        }
    }

    @Test
    void numbers_out_of_range_name_their_field() {
        String start = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],";
        post(start + "\"temperature\":1e309}").then().statusCode(400).body("error.param", equalTo("temperature"));
        post(start + "\"extra\":{\"deep\":[-1e400]}}").then().statusCode(400)
                .body("error.param", equalTo("extra.deep[0]"));
        post(start + "\"max_tokens\":9223372036854775807}").then().statusCode(400).body("error.param", equalTo("max_tokens"));
        post(start + "\"seed\":92233720368547758070}").then().statusCode(400).body("error.param", equalTo("seed"));
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_refused_in_openais_shape_before_it_is_read() throws Exception {
        String answer = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 70000000\r\n\r\n{}");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"code\":\"request_too_large\""), answer);
        assertTrue(answer.toLowerCase().contains("x-should-retry: false"), answer);
    }

    @Test
    void a_request_line_over_8k_is_a_414_in_openais_shape() {
        given().when().get("/v1/models?q=" + "a".repeat(20_000)).then().statusCode(414)
                .body("error.code", equalTo("uri_too_long")).header("x-should-retry", "false");
    }

    /** One request over a raw socket, for what an HTTP client library refuses to send; the answer as text. */
    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            try {
                while ((read = socket.getInputStream().read(buffer)) > 0) {
                    answer.write(buffer, 0, read);
                }
            } catch (java.net.SocketTimeoutException enough) {
                // the server keeps the connection: what came is the answer
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static io.restassured.response.Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }
}

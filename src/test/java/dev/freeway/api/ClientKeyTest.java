package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** With client keys configured, chat and models need one; health stays open; the admin key is not a client key. */
@QuarkusTest
@TestProfile(ClientKeyTest.WithClientKeys.class)
@QuarkusTestResource(ProviderDoubles.class)
class ClientKeyTest {

    static final String RAW = "fw-client-raw-7f3a9c";
    static final String HASHED = "fw-client-hashed-2b8e41";
    static final String REQUEST = """
            {"model":"groq/openai/gpt-oss-120b","messages":[{"role":"user","content":"Hi"}]}""";

    /** One key written raw, one as its SHA-256. */
    public static class WithClientKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.security.client-keys", RAW + ",sha256:" + sha256(HASHED));
        }
    }

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "hi", 3, 2))));
    }

    @Test
    void chat_without_a_client_key_is_refused_in_openai_shape() {
        given().contentType(ContentType.JSON).body(REQUEST).when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue())
                .body("error.message", containsString("didn't provide an API key"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer sk-wrong").body(REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(401).body("error.message", containsString("Incorrect API key"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY)
                .body(REQUEST).when().post("/v1/chat/completions").then().statusCode(401);
    }

    @Test
    void a_front_door_written_with_matrix_parameters_or_escapes_needs_the_key_too() {
        for (String path : List.of("/v1;x/chat/completions", "/v1;/chat/completions", "/v1%2Fchat/completions",
                "/v1/chat;x/completions", "/%761/chat/completions")) {
            given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(REQUEST).when().post(path)
                    .then().statusCode(401).body("error.type", equalTo("authentication_error"));
        }
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(REQUEST).when()
                .post("/v1;x/messages").then().statusCode(401)
                .body("type", equalTo("error")).body("error.type", equalTo("authentication_error"));
        given().urlEncodingEnabled(false).when().get("/v1;x/models").then().statusCode(401);
        assertEquals(0, server().getAllServeEvents().size(), "no provider was called");
    }

    @Test
    void either_configured_key_serves_chat_and_models() {
        for (String key : new String[]{RAW, HASHED}) {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(REQUEST)
                    .when().post("/v1/chat/completions").then().statusCode(200);
            given().header("Authorization", "Bearer " + key).when().get("/v1/models").then().statusCode(200)
                    .body("object", equalTo("list"));
        }
    }

    @Test
    void models_follow_the_chat_rule_and_health_stays_open() {
        given().when().get("/v1/models").then().statusCode(401).body("error.type", equalTo("authentication_error"));
        given().when().get("/v1/models/groq/openai/gpt-oss-120b").then().statusCode(401);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

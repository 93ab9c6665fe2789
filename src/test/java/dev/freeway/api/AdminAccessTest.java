package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status, capacity, dashboard and metrics need the admin key; health stays open; no key ever shows. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class AdminAccessTest {

    static final List<String> ADMIN_ENDPOINTS = List.of("/v1/status", "/v1/capacity", "/dashboard", "/q/metrics");
    static final List<String> SECRETS = List.of(ProviderDoubles.GROQ_KEY_A, ProviderDoubles.GROQ_KEY_B,
            ProviderDoubles.GEMINI_KEY, ProviderDoubles.OTHER_KEY, ProviderDoubles.ADMIN_KEY);

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void every_admin_endpoint_refuses_a_request_without_the_admin_key_in_openai_shape() {
        for (String path : ADMIN_ENDPOINTS) {
            given().when().get(path).then().statusCode(401)
                    .contentType(ContentType.JSON)
                    .body("error.type", equalTo("authentication_error"))
                    .body("error.code", equalTo("invalid_api_key"))
                    .body("error.param", nullValue())
                    .body("error.message", containsString("admin key"));
            given().header("Authorization", "Bearer not-the-admin-key").when().get(path).then().statusCode(401)
                    .body("error.type", equalTo("authentication_error"));
            given().header("x-freeway-admin-key", ProviderDoubles.GROQ_KEY_A).when().get(path).then().statusCode(401);
        }
    }

    @Test
    void other_spellings_of_an_admin_path_are_refused_too() {
        for (String path : List.of("/v1/status/", "/V1/STATUS", "/v1/status;x=1", "/q/metrics/", "/Dashboard",
                "/v1//status", "/v1/./capacity", "/v1;x/status", "/v1;/capacity", "/v1;x/requests?limit=5",
                "/v1%2Fstatus", "/v1%2Fstatus;", "/v1%2fcapacity", "/q;x/metrics", "/dashboard;x", "/%761/status")) {
            int code = given().urlEncodingEnabled(false).when().get(path).then().extract().statusCode();
            assertTrue(code == 401 || code == 404, path + " answered " + code);
        }
    }

    @Test
    void the_admin_key_opens_them_as_a_bearer_token_or_in_its_own_header() {
        for (String path : ADMIN_ENDPOINTS) {
            given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get(path)
                    .then().statusCode(200);
            given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).when().get(path).then().statusCode(200);
        }
    }

    @Test
    void health_stays_open_and_readiness_checks_redis() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Redis")));
    }

    @Test
    void a_browser_is_shown_the_login_form_and_the_cookie_it_gets_holds_no_key() {
        given().header("Accept", "text/html").when().get("/dashboard").then().statusCode(401)
                .contentType(containsString("text/html")).body(containsString("name=\"key\""));
        given().contentType(ContentType.URLENC).formParam("key", "wrong").when().post("/dashboard/login")
                .then().statusCode(401).body(containsString(DashboardResource.WRONG_KEY));

        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("key", ProviderDoubles.ADMIN_KEY).when().post("/dashboard/login");
        assertEquals(303, login.statusCode());
        String setCookie = login.header("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertFalse(setCookie.contains(ProviderDoubles.ADMIN_KEY), setCookie);
        String session = login.cookie("freeway_admin");

        given().cookie("freeway_admin", session).when().get("/dashboard").then().statusCode(200)
                .contentType(containsString("text/html"));
        given().cookie("freeway_admin", session).when().get("/v1/status").then().statusCode(200);
        given().cookie("freeway_admin", session + "x").when().get("/v1/status").then().statusCode(401);
        given().cookie("freeway_admin", "9999999999." + session.substring(session.indexOf('.') + 1)).when()
                .get("/v1/status").then().statusCode(401);
    }

    @Test
    void no_key_appears_in_status_capacity_metrics_or_the_page() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "hi", 3, 2))));
        server().stubFor(chat("google-gemini", null).willReturn(json(401,
                "[{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}]")));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"google-gemini/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");

        for (String path : ADMIN_ENDPOINTS) {
            String body = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).when().get(path)
                    .then().statusCode(200).extract().asString();
            assertFalse(body.isBlank(), path);
            for (String secret : SECRETS) {
                assertFalse(body.contains(secret), path + " shows a key");
                assertFalse(body.contains(secret.substring(0, 12)), path + " shows the start of a key");
            }
        }
    }
}

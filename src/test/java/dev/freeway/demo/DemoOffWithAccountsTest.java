package dev.freeway.demo;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Configured accounts keep the demo out: no demo models, no simulator endpoints, no demo label. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class DemoOffWithAccountsTest {

    @Test
    void with_accounts_configured_no_demo_provider_is_listed_or_labelled() {
        given().when().get("/v1/models")
                .then().statusCode(200)
                .header(DemoProviders.HEADER, nullValue())
                .body("data.id", everyItem(not(startsWith(DemoProviders.PREFIX))));
    }

    @Test
    void with_accounts_configured_the_simulators_are_not_served() {
        given().contentType(ContentType.JSON).body("""
                        {"model":"demo-fast","messages":[{"role":"user","content":"hi"}]}""")
                .when().post("/demo/groq/v1/chat/completions")
                .then().statusCode(404);
    }
}

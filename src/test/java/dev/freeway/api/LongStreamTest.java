package dev.freeway.api;

import dev.freeway.support.FaultyUpstreams;
import dev.freeway.support.RawUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.FaultyUpstreams.flaky;
import static dev.freeway.support.FaultyUpstreams.steady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream that runs longer than a concurrency lease (2 s here, 300 s as shipped) keeps its slot while it runs: the
 * flaky provider takes one call at a time, so a second request meanwhile goes to the steady one, and the slot is free
 * again once the stream has ended.
 */
@QuarkusTest
@QuarkusTestResource(value = FaultyUpstreams.class, restrictToAnnotatedClass = true)
@TestProfile(LongStreamTest.ShortLeases.class)
class LongStreamTest {

    public static class ShortLeases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.quota.lease-seconds", "2");
        }
    }

    @BeforeEach
    void reset() {
        FaultyUpstreams.reset();
    }

    @Test
    void a_stream_longer_than_its_lease_keeps_its_slot_until_it_ends() throws Exception {
        steady().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(dev.freeway.support.ProviderDoubles
                        .completion("m1", "from steady", 3, 2))));
        flaky().behave((socket, out) -> {
            RawUpstream.sseHeaders(out);
            for (int i = 0; i < 14; i++) { // 4.2 s, an event every 0.3 s
                RawUpstream.chunk(out, RawUpstream.events(List.of(chunk("t" + i))));
                Thread.sleep(300);
            }
            RawUpstream.chunk(out, RawUpstream.events(List.of("[DONE]")));
            RawUpstream.endBody(out);
        });
        CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> RestAssured.given()
                .contentType("application/json").body("{\"model\":\"flaky/m1\",\"stream\":true,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"Count\"}]}").post("/v1/chat/completions").then().statusCode(200)
                .extract().asString());
        long waited = 0;
        while (flaky().requests() == 0 && waited < 10_000) { // the stream has reached flaky, its slot reserved
            Thread.sleep(20);
            waited += 20;
        }
        Thread.sleep(2_500); // past the stream's first lease

        var meanwhile = RestAssured.given().contentType("application/json")
                .body("{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
        meanwhile.then().statusCode(200);
        assertEquals("steady", meanwhile.header("x-freeway-provider"),
                "the long stream still holds flaky's one slot");
        assertEquals(1, flaky().requests(), "flaky was not given a second call");

        String streamed = stream.get(10, TimeUnit.SECONDS);
        assertTrue(streamed.contains("t13") && streamed.contains("[DONE]"), streamed);
        var after = RestAssured.given().contentType("application/json")
                .body("{\"model\":\"flaky/m1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
        after.then().statusCode(200);
        assertEquals("flaky", after.header("x-freeway-provider"), "its end freed the slot");
    }

    private static String chunk(String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m1\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }
}

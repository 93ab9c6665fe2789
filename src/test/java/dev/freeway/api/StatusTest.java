package dev.freeway.api;

import dev.freeway.quota.ParkingKind;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.quota.QuotaStore;
import dev.freeway.support.ProviderDoubles;
import dev.freeway.support.Resp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /v1/status against what the doubles really served: five calls by groq team-a, one upstream error on team-a, then
 * a TPD 429 on team-a and two calls served by team-b. Every figure is compared exactly.
 */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class StatusTest {

    static final String BIG = "openai/gpt-oss-120b";
    static final String SMALL = "openai/gpt-oss-20b";
    static final String TPD_REASON = "exhausted: tokens per day (TPD) used up for this model";
    static final Duration GROQ_WAIT = Duration.ofMillis(6 * 60_000 + 30_096); // "try again in 6m30.096s"

    @Inject
    QuotaStore quota;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void status_numbers_equal_what_the_providers_served() throws InterruptedException {
        awayFromAMinuteBoundary();
        // team-b is held back while team-a serves five calls and fails one
        quota.park("groq:team-b", null, new QuotaStore.Parking(Instant.now().plus(Duration.ofHours(1)), "held back by the test", ParkingKind.EXHAUSTED));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(200, completion(BIG, "a", 11, 7))));
        for (int i = 0; i < 5; i++) {
            ask("groq/" + BIG).then().statusCode(200).header("x-freeway-account", "team-a");
        }
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A)
                .withRequestBody(containing(SMALL))
                .atPriority(1).willReturn(json(500, "{\"error\":{\"message\":\"internal error\"}}")));
        ask("groq/" + SMALL).then().statusCode(429);
        Resp.command(ProviderDoubles.redis().port(), "DEL", "fw:{acct:groq:team-b}:park");

        // team-a runs out of tokens for the day; whichever account round robin offers first, team-a is asked once
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(429, FallbackTest.GROQ_TPD)));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B).willReturn(json(200, completion(BIG, "b", 13, 4))));
        Instant before = Instant.now();
        ask("groq/" + BIG).then().statusCode(200).header("x-freeway-account", "team-b");
        ask("groq/" + BIG).then().statusCode(200).header("x-freeway-account", "team-b");
        Instant after = Instant.now();
        server().verify(5 + 2 + 1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + ProviderDoubles.GROQ_KEY_A)));

        JsonPath status = status();
        String groq = "providers.find { it.name == 'groq' }";
        String teamA = groq + ".accounts.find { it.id == 'team-a' }";
        String teamB = groq + ".accounts.find { it.id == 'team-b' }";

        // used per rule
        rule(status, teamA, BIG, "requests", "day", 1000, 5);
        rule(status, teamA, BIG, "requests", "minute", 30, 5);
        rule(status, teamA, BIG, "tokens", "day", 200_000, 5 * (11 + 7));
        rule(status, teamA, BIG, "tokens", "minute", 8_000, 5 * (11 + 7));
        // the failed request was two upstream calls (one retry), each with its own reservation: the provider may have
        // counted both, so Freeway counts both
        rule(status, teamA, SMALL, "requests", "day", 1000, 2);
        rule(status, teamA, SMALL, "tokens", "day", 200_000, 0);
        rule(status, teamB, BIG, "requests", "day", 1000, 2);
        rule(status, teamB, BIG, "tokens", "day", 200_000, 2 * (13 + 4));
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z";
        assertEquals(tomorrow, status.getString(model(teamA, BIG) + ".rules.find { it.metric == 'requests' && it.window == 'day' }.resets_at"));

        // parked: reason and time as Groq said
        String reason = status.getString(model(teamA, BIG) + ".parked.reason");
        assertTrue(reason.startsWith(TPD_REASON + ": Rate limit reached for model `openai/gpt-oss-120b`"), reason);
        Instant until = OffsetDateTime.parse(status.getString(model(teamA, BIG) + ".parked.until")).toInstant();
        assertFalse(until.isBefore(before.plus(GROQ_WAIT).truncatedTo(ChronoUnit.MILLIS)), "parked until " + until);
        assertFalse(until.isAfter(after.plus(GROQ_WAIT)), "parked until " + until);
        assertNull(status.get(teamA + ".parked"));
        assertNull(status.get(teamB + ".parked"));
        assertEquals("ok", status.getString(teamA + ".credentials"));
        assertEquals("closed", status.getString(groq + ".circuit"));

        // today's usage by hour, summed over the hours (the test may cross one)
        List<Map<String, Object>> hours = status.getList(groq + ".usage_today");
        assertEquals(9, sum(hours, "total", "requests"));  // 5 + the failed request's two calls + 2
        assertEquals(5 * 11 + 2 * 13, sum(hours, "total", "input_tokens"));
        assertEquals(5 * 7 + 2 * 4, sum(hours, "total", "output_tokens"));
        assertEquals(2, sum(hours, "total", "fallbacks")); // the upstream error and the 429 moved on
        assertEquals(7, sumAccount(hours, "team-a", "requests"));
        assertEquals(2, sumAccount(hours, "team-b", "requests"));

        // the day's pool summary against the capacity the rules give
        long capacity = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).get("/v1/capacity")
                .then().statusCode(200).extract().jsonPath()
                .getLong("providers.find { it.name == 'groq' }.capacity.free.requests_per_day");
        assertEquals(capacity, status.getLong(groq + ".summary.daily_request_capacity"));
        assertEquals(9, status.getLong(groq + ".summary.used_today"));
        assertEquals(9, status.getLong(groq + ".summary.used_within_capacity"));
        assertEquals(capacity - 9, status.getLong(groq + ".summary.remaining"));
        assertEquals(2, status.getInt(groq + ".summary.accounts"));

        // value = tokens × the catalog's list price
        ModelSpec.Price price = CatalogReader.builtIn().get("groq").model(BIG).orElseThrow().price();
        double expected = ((5 * 11 + 2 * 13) * price.inputPerMillion() + (5 * 7 + 2 * 4) * price.outputPerMillion()) / 1e6;
        String groqValue = "value.providers.find { it.name == 'groq' }";
        assertEquals(expected, status.getDouble(groqValue + ".today"), 1e-12);
        assertEquals(expected, status.getDouble(groqValue + ".month"), 1e-12);
        assertEquals(price.asOf(), status.getString(groqValue + ".models.find { it.model == '" + BIG + "' }.price.as_of"));
        assertEquals(expected, status.getDouble("value.today"), 1e-12);

        // routing now: team-a's 120b is parked, team-b still takes it
        String first = "routing.tasks.find { it.task == 'reasoning' }.chain[0]";
        assertEquals("groq/" + BIG, status.getString(first + ".candidate"));
        assertTrue(status.getBoolean(first + ".ready"));
        assertEquals("parked: " + reason, status.getString(first + ".accounts.find { it.account == 'team-a' }.reason"));
        assertTrue(status.getBoolean(first + ".accounts.find { it.account == 'team-b' }.ready"));
        assertEquals(5, status.getList("routing.tasks").size());
        assertFalse(status.getBoolean("degraded"));
        assertEquals("ok", status.getString("quota_store"));
    }

    @Test
    void requests_on_models_without_a_daily_limit_are_counted_apart_from_the_daily_capacity() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, "g", 5, 5))));
        server().stubFor(chat("local-vllm", null).willReturn(json(200, completion("qwen3-8b", "v", 5, 5))));
        ask("groq/" + BIG).then().statusCode(200);
        ask("groq/" + BIG).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            ask("local-vllm/qwen3-8b").then().statusCode(200);
        }
        JsonPath status = status();
        String vllm = "providers.find { it.name == 'local-vllm' }.summary";
        assertNull(status.get(vllm + ".daily_request_capacity"), "no rule: no daily capacity");
        assertNull(status.get(vllm + ".percent_used"));
        assertEquals(3, status.getLong(vllm + ".used_outside_capacity"));
        assertEquals(List.of("qwen3-8b: no daily limit"), status.getList(vllm + ".outside_capacity"));

        long capacity = status.getLong("pool.daily_request_capacity");
        long groqCapacity = status.getLong("providers.find { it.name == 'groq' }.summary.daily_request_capacity");
        assertTrue(capacity >= groqCapacity, "the pool adds up the providers that have a daily capacity");
        assertEquals(5, status.getLong("pool.used_today"));
        assertEquals(2, status.getLong("pool.used_within_capacity"));
        assertEquals(3, status.getLong("pool.used_outside_capacity"));
        assertEquals(capacity - 2, status.getLong("pool.remaining"));
        assertEquals(Math.round(2 * 1000.0 / capacity) / 10.0, status.getDouble("pool.percent_used"), 1e-9,
                "the percentage compares only requests under daily limits with those limits");
        assertTrue(status.getList("pool.outside_capacity").contains("local-vllm/qwen3-8b: no daily limit"));
    }

    @Test
    void seven_days_by_day_add_up_to_what_was_served_and_latency_percentiles_come_from_the_histograms() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, "g", 10, 5))));
        for (int i = 0; i < 3; i++) {
            ask("groq/" + BIG).then().statusCode(200);
        }
        String key = dev.freeway.quota.LatencyHistogram.key("groq:team-a", LocalDate.now(ZoneOffset.UTC));
        int redis = ProviderDoubles.redis().port();
        // beside the three served calls' own samples, wherever they fell (under 5 s), so many that they decide
        Resp.command(redis, "HINCRBY", key, "250:" + BIG, "60");
        Resp.command(redis, "HINCRBY", key, "1000:" + BIG, "30");
        Resp.command(redis, "HINCRBY", key, "5000:" + BIG, "10");

        JsonPath week = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY)
                .get("/v1/status?range=7d&tz=Asia/Tokyo").then().statusCode(200).extract().jsonPath();
        assertEquals("7d", week.getString("usage.range"));
        assertEquals("day", week.getString("usage.bucket"));
        assertEquals("Asia/Tokyo", week.getString("usage.zone"));
        String groq = "usage.providers.find { it.name == 'groq' }";
        List<Map<String, Object>> days = week.getList(groq + ".buckets");
        assertEquals(7, days.size());
        assertTrue(days.stream().allMatch(d -> ((String) d.get("start")).endsWith("+09:00")), days.toString());
        assertEquals(3, sum(days, "total", "requests"));
        assertEquals(3, week.getLong(groq + ".total.requests"));
        assertEquals(3 * 15, week.getLong(groq + ".total.input_tokens") + week.getLong(groq + ".total.output_tokens"));
        assertEquals(0.0, week.getDouble(groq + ".total.error_rate"), 1e-12);
        ModelSpec.Price price = CatalogReader.builtIn().get("groq").model(BIG).orElseThrow().price();
        assertEquals((30 * price.inputPerMillion() + 15 * price.outputPerMillion()) / 1e6,
                week.getDouble(groq + ".total.value_usd"), 1e-12);
        // 103 calls: the 52nd is within 250 ms, the 98th within 5,000 ms; each sample is a request served
        assertEquals(250, week.getLong(groq + ".latency.p50_ms"));
        assertEquals(5000, week.getLong(groq + ".latency.p95_ms"));
        assertEquals(103, week.getLong(groq + ".latency.samples"));
        assertEquals(103, week.getLong(groq + ".total.served"));
        assertNull(week.get("usage.providers.find { it.name == 'cerebras' }.latency.p50_ms"));
    }

    @Test
    void a_refused_key_shows_as_rejected_credentials() {
        server().stubFor(chat("cerebras", null).willReturn(json(401,
                "{\"message\":\"Wrong API Key\",\"type\":\"invalid_request_error\",\"param\":\"api_key\",\"code\":\"wrong_api_key\"}")));
        ask("cerebras/gpt-oss-120b").then().statusCode(503).header("x-should-retry", "false")
                .body("error.code", org.hamcrest.Matchers.equalTo("credentials_rejected"));

        JsonPath status = status();
        String main = "providers.find { it.name == 'cerebras' }.accounts[0]";
        assertEquals("rejected", status.getString(main + ".credentials"));
        assertTrue(status.getString(main + ".parked.reason").startsWith("credentials rejected"));
        assertNotNull(status.getString(main + ".parked.until"));
    }

    @Test
    void query_parameters_that_mean_nothing_are_400s_naming_the_parameter_not_a_default_or_a_404() {
        for (String[] asked : new String[][]{
                {"/v1/status?range=1y", "range"}, {"/v1/status?tz=Mars/Olympus", "tz"},
                {"/v1/requests?limit=99999999999999999999", "limit"}, {"/v1/requests?limit=0", "limit"},
                {"/v1/requests?limit=ten", "limit"}, {"/v1/requests?status=abc", "status"},
                {"/v1/requests?status=1000", "status"}}) {
            given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get(asked[0])
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                    .body("error.param", org.hamcrest.Matchers.equalTo(asked[1]));
        }
        JsonPath named = given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY)
                .when().get("/v1/status?range=7d&tz=Europe/Oslo").then().statusCode(200).extract().jsonPath();
        assertEquals("7d", named.getString("usage.range"));
        assertEquals("Europe/Oslo", named.getString("usage.zone"));
        given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY)
                .when().get("/v1/requests?limit=5&status=200").then().statusCode(200);
    }

    @Test
    void with_redis_down_a_call_is_refused_503_and_the_log_says_why_under_the_requests_id() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, "a", 11, 7))));
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(capture);
        ProviderDoubles.redis().stopServer();
        try {
            io.restassured.response.Response refused = given().contentType(ContentType.JSON)
                    .header("x-request-id", "req-store-away-1")
                    .body("{\"model\":\"groq/" + BIG + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .when().post("/v1/chat/completions");
            refused.then().statusCode(503).body("error.code", org.hamcrest.Matchers.equalTo("quota_store_unavailable"));
            assertTrue(logged.stream().anyMatch(line -> line.contains("req-store-away-1")
                            && line.contains("quota_store_unavailable") && line.contains("quota store unavailable: Redis")),
                    "the log names the request and the store's own failure: " + logged);
            assertTrue(!refused.asString().contains("quota store unavailable: Redis"),
                    "the store's own failure stays in the log: " + refused.asString());
            server().verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        } finally {
            ProviderDoubles.redis().startAgain();
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }
    }

    @Test
    void with_redis_down_status_still_answers_degraded_and_readiness_goes_down() {
        ProviderDoubles.redis().stopServer();
        try {
            JsonPath status = status();
            assertTrue(status.getString("quota_store").startsWith("unreachable: "), status.getString("quota_store"));
            assertTrue(status.getBoolean("degraded"));
            String rule = "providers.find { it.name == 'groq' }.accounts[0].models[0].rules[0]";
            assertNotNull(status.get(rule + ".limit"));
            assertNull(status.get(rule + ".used"));
            given().when().get("/q/health/ready").then().statusCode(503);
            given().when().get("/q/health/live").then().statusCode(200);
        } finally {
            ProviderDoubles.redis().startAgain();
        }
    }

    @Test
    void with_redis_paused_status_answers_the_limits_unread_and_reads_them_again_once_it_is_back() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, "a", 11, 7))));
        ask("groq/" + BIG).then().statusCode(200);
        String rule = model("providers.find { it.name == 'groq' }.accounts[0]", BIG)
                + ".rules.find { it.metric == 'requests' && it.window == 'day' }";
        long used = status().getLong(rule + ".used");
        assertTrue(used >= 1, "the served call is counted");
        ProviderDoubles.redis().pause(); // a stalled host: the connection stays open, nothing is answered
        try {
            JsonPath status = status();
            assertTrue(status.getString("quota_store").startsWith("unreachable: "), status.getString("quota_store"));
            assertTrue(status.getBoolean("degraded"));
            assertNotNull(status.get(rule + ".limit"));
            assertNull(status.get(rule + ".used"), "a page read while Redis answers nothing shows no figures");
            assertEquals(status.getString("quota_store"), status.getString("cache.error"),
                    "the cache figures are not asked for after the page's reads failed: one timeout, not two");
            assertNull(status.get("cache.hits"));
            assertTrue(status.getString("usage.latency").startsWith("not read"), "the usage's zeros are said to be"
                    + " unread, not \"no request served\": " + status.getString("usage.latency"));
        } finally {
            ProviderDoubles.redis().resume();
        }
        JsonPath status = status();
        assertEquals("ok", status.getString("quota_store"));
        assertEquals(used, status.getLong(rule + ".used"), "the same figures, read again once Redis answers");
    }

    private static io.restassured.response.Response ask(String model) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions");
    }

    private static JsonPath status() {
        return given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get("/v1/status")
                .then().statusCode(200).contentType(ContentType.JSON).body("providers", not(empty())).extract().jsonPath();
    }

    private static String model(String account, String model) {
        return account + ".models.find { it.model == '" + model + "' }";
    }

    private static void rule(JsonPath status, String account, String model, String metric, String window, long limit,
                             long used) {
        String rule = model(account, model) + ".rules.find { it.metric == '" + metric + "' && it.window == '" + window + "' }";
        assertEquals(limit, status.getLong(rule + ".limit"), rule);
        assertEquals(used, status.getLong(rule + ".used"), rule);
        assertEquals(limit - used, status.getLong(rule + ".remaining"), rule);
    }

    @SuppressWarnings("unchecked")
    private static long sum(List<Map<String, Object>> hours, String part, String figure) {
        return hours.stream().mapToLong(h -> ((Number) ((Map<String, Object>) h.get(part)).get(figure)).longValue()).sum();
    }

    @SuppressWarnings("unchecked")
    private static long sumAccount(List<Map<String, Object>> hours, String account, String figure) {
        return hours.stream().mapToLong(h -> ((Number) ((Map<String, Map<String, Object>>) h.get("by_account"))
                .get(account).get(figure)).longValue()).sum();
    }

    /** Minute rules are compared exactly, so the calls must not straddle a minute. */
    private static void awayFromAMinuteBoundary() throws InterruptedException {
        int second = OffsetDateTime.now(ZoneOffset.UTC).getSecond();
        if (second > 40) {
            Thread.sleep((61 - second) * 1000L);
        }
    }
}

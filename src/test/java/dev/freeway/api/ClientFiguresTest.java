package dev.freeway.api;

import dev.freeway.support.GatewayView;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator gives three teammates keys from one configuration — alice with 2 requests a day, carol with 100
 * requests and a trillion tokens a day, zoë_ops-2 (a name beyond ASCII) with no limits of her own — and a known mix
 * of traffic goes through:
 * <ul>
 *   <li>alice: two served at groq (9 + 2 tokens each), a third refused by her own limit (429, no call)</li>
 *   <li>carol: one stream served at groq (7 + 3 tokens)</li>
 *   <li>zoë_ops-2: two served at Gemini (20 + 5 tokens each), one refused by the pool (groq says tokens per day ran
 *       out, on both accounts)</li>
 *   <li>bad input (broken JSON, a wrong key), which is never counted</li>
 * </ul>
 * Status's clients section, the capacity's division, /q/metrics and the dashboard's Clients table must say exactly
 * that, with names and never a key.
 */
@QuarkusTest
@TestProfile(ClientFiguresTest.Teammates.class)
@QuarkusTestResource(ProviderDoubles.class)
class ClientFiguresTest {

    static final String ALICE = "alice-figures-key-0123456789";
    static final String CAROL = "carol-figures-key-0123456789";
    static final String ZOE = "zoe-figures-key-01234567890ab";
    static final String ZOE_NAME = "zoë_ops-2";
    static final String BIG = "openai/gpt-oss-120b";
    static final String SMALL = "openai/gpt-oss-20b";
    static final String GEMINI = "gemini-2.5-flash";
    static final long TRILLION = 1_000_000_000_000L;

    /** The three teammates, in this order. */
    public static class Teammates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("freeway.security.clients.alice.key", ALICE);
            config.put("freeway.security.clients.alice.limits[0].metric", "requests");
            config.put("freeway.security.clients.alice.limits[0].window", "day");
            config.put("freeway.security.clients.alice.limits[0].limit", "2");
            config.put("freeway.security.clients.carol.key", CAROL);
            config.put("freeway.security.clients.carol.limits[0].metric", "requests");
            config.put("freeway.security.clients.carol.limits[0].window", "day");
            config.put("freeway.security.clients.carol.limits[0].limit", "100");
            config.put("freeway.security.clients.carol.limits[1].metric", "tokens");
            config.put("freeway.security.clients.carol.limits[1].window", "day");
            config.put("freeway.security.clients.carol.limits[1].limit", Long.toString(TRILLION));
            config.put("freeway.security.clients." + ZOE_NAME + ".key", ZOE);
            return config;
        }
    }

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
        server().stubFor(chat("groq", null).withRequestBody(containing(BIG))
                .willReturn(json(200, completion(BIG, "Oslo", 9, 2))));
        server().stubFor(chat("groq", null).atPriority(1).withRequestBody(containing("\"stream\":true"))
                .willReturn(sse(stream(BIG, List.of("Os", "lo"), 7, 3))));
        server().stubFor(chat("groq", null).atPriority(1).withRequestBody(containing(SMALL))
                .willReturn(json(429, FallbackTest.GROQ_TPD)));
        server().stubFor(chat("google-gemini", null).willReturn(json(200, completion(GEMINI, "Oslo", 20, 5))));
    }

    @Test
    void every_figure_of_every_teammate_matches_the_traffic_in_status_capacity_metrics_and_dashboard() {
        String before = scrape();
        sendTheMix();
        JsonPath status = admin("/v1/status").jsonPath();

        theStatusCountsEachClient(status);
        theClientsOwnRulesShowWhatIsLeft(status);
        theCapacityDividesThePool(admin("/v1/capacity").jsonPath());
        String after = scrapeWhenGaugesRead();
        theMetricsCountTheSame(before, after);
        String page = admin("/dashboard").asString();
        theDashboardTableSaysTheSame(page);

        for (String text : List.of(status.prettify(), admin("/v1/capacity").asString(), after, page,
                GatewayView.everythingInRedis())) {
            for (String key : List.of(ALICE, CAROL, ZOE)) {
                assertFalse(text.contains(key), "a client's key is never shown nor kept");
            }
        }
    }

    @Test
    void a_range_of_days_counts_todays_figures_too() {
        ask(ALICE, request(BIG)).then().statusCode(200);
        JsonPath week = admin("/v1/status?range=7d&tz=Asia/Tokyo").jsonPath();
        assertEquals("7d", week.getString(client("alice") + ".usage.range"));
        assertEquals("Asia/Tokyo", week.getString(client("alice") + ".usage.zone"));
        assertEquals(1, week.getLong(client("alice") + ".usage.served"));
        assertEquals(11, week.getLong(client("alice") + ".usage.input_tokens")
                + week.getLong(client("alice") + ".usage.output_tokens"));
    }

    private void sendTheMix() {
        ask(ALICE, request(BIG)).then().statusCode(200);
        ask(ALICE, request(BIG)).then().statusCode(200);
        ask(ALICE, request(BIG)).then().statusCode(429).body("error.code", equalTo("client_limit_exceeded"));
        ask(CAROL, "{\"model\":\"groq/" + BIG + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"What is the capital of Norway?\"}]}").then().statusCode(200);
        ask(ZOE, request("google-gemini/" + GEMINI)).then().statusCode(200);
        ask(ZOE, request("google-gemini/" + GEMINI)).then().statusCode(200);
        // bad input: refused before routing, never counted
        ask(ZOE, "{\"model\":\"groq/" + BIG + "\",\"messages\":[").then().statusCode(400);
        ask(ALICE, "{\"model\":\"groq/" + BIG + "\",\"messages\":\"not a list\"}").then().statusCode(400);
        ask("not-any-teammates-key-000000", request(BIG)).then().statusCode(401);
        // last: groq's answer parks its accounts
        ask(ZOE, request(SMALL)).then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
    }

    private static void theStatusCountsEachClient(JsonPath status) {
        assertEquals(List.of("alice", "carol", ZOE_NAME), sorted(status.getList("clients.name")),
                "every named client, by name");
        usage(status, "alice", 2, 1, 18, 4, 2 * (9 * 0.15 + 2 * 0.60) / 1e6);
        usage(status, "carol", 1, 0, 7, 3, (7 * 0.15 + 3 * 0.60) / 1e6);
        usage(status, ZOE_NAME, 2, 1, 40, 10, 2 * (20 * 0.30 + 5 * 2.50) / 1e6);
        assertEquals("today", status.getString(client("alice") + ".usage.range"));
        assertEquals(List.of(), status.getList(client(ZOE_NAME) + ".usage.unpriced"));
    }

    private static void usage(JsonPath status, String name, long served, long refused, long input, long output,
                              double value) {
        String usage = client(name) + ".usage";
        assertEquals(served, status.getLong(usage + ".served"), name + " served");
        assertEquals(refused, status.getLong(usage + ".refused"), name + " refused");
        assertEquals(input, status.getLong(usage + ".input_tokens"), name + " input tokens");
        assertEquals(output, status.getLong(usage + ".output_tokens"), name + " output tokens");
        assertEquals(value, status.getDouble(usage + ".value_usd"), 1e-12, name + " value");
    }

    private static void theClientsOwnRulesShowWhatIsLeft(JsonPath status) {
        String midnight = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC));
        String alice = client("alice") + ".rules.find { it.metric == 'requests' && it.window == 'day' }";
        assertEquals(2, status.getLong(alice + ".limit"));
        assertEquals(2, status.getLong(alice + ".used"), "the refused third is not counted");
        assertEquals(0, status.getLong(alice + ".remaining"));
        assertEquals(midnight, status.getString(alice + ".resets_at"), "her day ends at midnight UTC");
        String tokens = client("carol") + ".rules.find { it.metric == 'tokens' }";
        assertEquals(10, status.getLong(tokens + ".used"), "the stream's tokens as settled");
        assertEquals(TRILLION - 10, status.getLong(tokens + ".remaining"));
        assertEquals(1, status.getLong(client("carol") + ".rules.find { it.metric == 'requests' }.used"));
        assertEquals(List.of(), status.getList(client(ZOE_NAME) + ".rules"), "only the pool's limits bind her");
    }

    private static void theCapacityDividesThePool(JsonPath capacity) {
        long requests = capacity.getLong("total.free.requests_per_day");
        long tokens = capacity.getLong("total.free.tokens_per_day");
        assertTrue(requests > 102 && tokens < TRILLION, "the doubles' pool: " + requests + ", " + tokens);
        assertEquals(List.of("alice", "carol"), capacity.getList("clients.clients.name"));
        assertEquals(List.of(ZOE_NAME), capacity.getList("clients.without_limits"));
        String alice = "clients.clients.find { it.name == 'alice' }";
        assertEquals(2, capacity.getLong(alice + ".requests_per_day"));
        int days = YearMonth.now(ZoneOffset.UTC).lengthOfMonth();
        assertEquals(2L * days, capacity.getLong(alice + ".requests_per_month"));
        assertNull(capacity.get(alice + ".tokens_per_day"), "alice has no token limit");
        assertEquals(Math.round(2 * 1000.0 / requests) / 10.0, capacity.getDouble(alice + ".requests_per_day_percent"));
        String carol = "clients.clients.find { it.name == 'carol' }";
        assertEquals(TRILLION, capacity.getLong(carol + ".tokens_per_day"));
        assertEquals(Math.round(100 * 1000.0 / requests) / 10.0, capacity.getDouble(carol + ".requests_per_day_percent"));

        assertEquals(requests, capacity.getLong("clients.requests_per_day.pool"));
        assertEquals(102, capacity.getLong("clients.requests_per_day.clients"));
        assertFalse(capacity.getBoolean("clients.requests_per_day.oversubscribed"));
        assertEquals(0, capacity.getLong("clients.requests_per_day.oversubscribed_by"));
        assertEquals(requests - 102, capacity.getLong("clients.requests_per_day.left_for_others"));
        assertEquals(tokens, capacity.getLong("clients.tokens_per_day.pool"));
        assertTrue(capacity.getBoolean("clients.tokens_per_day.oversubscribed"), "a trillion tokens is more than it has");
        assertEquals(TRILLION - tokens, capacity.getLong("clients.tokens_per_day.oversubscribed_by"));
        assertEquals(0, capacity.getLong("clients.tokens_per_day.left_for_others"));
    }

    private static void theMetricsCountTheSame(String before, String after) {
        Map<String, Long> served = Map.of("alice", 2L, "carol", 1L, ZOE_NAME, 2L);
        Map<String, Long> refused = Map.of("alice", 1L, "carol", 0L, ZOE_NAME, 1L);
        Map<String, long[]> tokens = Map.of("alice", new long[]{18, 4}, "carol", new long[]{7, 3},
                ZOE_NAME, new long[]{40, 10});
        for (String name : served.keySet()) {
            String who = "client=\"" + name + "\"";
            assertEquals(served.get(name), grew(before, after, "freeway_client_requests_total", who,
                    "outcome=\"served\""), name + " served");
            assertEquals(refused.get(name), grew(before, after, "freeway_client_requests_total", who,
                    "outcome=\"refused\""), name + " refused");
            assertEquals(tokens.get(name)[0], grew(before, after, "freeway_client_tokens_total", who,
                    "direction=\"input\""), name + " input tokens");
            assertEquals(tokens.get(name)[1], grew(before, after, "freeway_client_tokens_total", who,
                    "direction=\"output\""), name + " output tokens");
        }
        List<String> names = new ArrayList<>();
        Matcher label = Pattern.compile("freeway_client_requests_total\\{[^}]*client=\"([^\"]*)\"").matcher(after);
        while (label.find()) {
            names.add(label.group(1));
        }
        assertEquals(List.of("alice", "carol", ZOE_NAME), sorted(names.stream().distinct().toList()),
                "only configured names are label values");
        String alice = "account=\"client:alice\"";
        assertEquals(0.0, value(after, "freeway_quota_remaining", alice, "metric=\"requests\"", "window=\"day\""));
        assertEquals(2.0, value(after, "freeway_quota_limit", alice, "metric=\"requests\"", "window=\"day\""));
        assertEquals((double) (TRILLION - 10), value(after, "freeway_quota_remaining", "account=\"client:carol\"",
                "metric=\"tokens\""));
    }

    private static void theDashboardTableSaysTheSame(String page) {
        assertTrue(page.contains("<h2>Clients</h2>"), "the page has a Clients table");
        Map<String, String> alice = row(page, "alice");
        assertEquals(List.of("2", "1", "22"), List.of(alice.get("served"), alice.get("refused"), alice.get("tokens")));
        assertEquals("$0.000005", alice.get("value"), "2 x (9 x $0.15 + 2 x $0.60) / 1M = $0.0000051");
        assertEquals("requests/day: 2 of 2", alice.get("rule"));
        assertEquals("0", alice.get("left"));
        assertTrue(alice.get("resets").startsWith(LocalDate.now(ZoneOffset.UTC).plusDays(1) + " 00:00"),
                "in the page's one zone (UTC): " + alice.get("resets"));
        assertTrue(page.contains("<span class=\"full\" style=\"width: 100.0%\">"), "her bar is full");
        Map<String, String> zoe = row(page, ZOE_NAME);
        assertEquals(List.of("2", "1", "50", "$0.000037"), List.of(zoe.get("served"), zoe.get("refused"),
                zoe.get("tokens"), zoe.get("value")));
        assertEquals("none: only the pool's limits", zoe.get("rule"));
        assertEquals("1", row(page, "carol").get("served"));
    }

    @Test
    void a_name_that_would_need_escaping_never_starts() {
        var markup = new dev.freeway.security.SecurityConfig.ClientConfig() {
            public String key() {
                return "some-key-0123456789abcdef";
            }

            public java.util.Optional<List<dev.freeway.config.FreewayConfig.LimitConfig>> limits() {
                return java.util.Optional.empty();
            }

            public java.util.Optional<List<String>> models() {
                return java.util.Optional.empty();
            }

            public java.util.Optional<List<String>> tasks() {
                return java.util.Optional.empty();
            }
        };
        for (String name : List.of("<b>eve</b>", "eve\"onclick", "o'brien", "eve&co")) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.freeway.config.InvalidConfigurationException.class,
                    () -> new dev.freeway.security.Clients(Map.of(name, markup)));
            assertTrue(refused.getMessage().contains("letters, digits, '-' and '_'"), refused.getMessage());
        }
    }

    /** One client's row of the dashboard's Clients table, cell by cell (its first rule only). */
    private static Map<String, String> row(String page, String name) {
        Matcher tr = Pattern.compile("<tr data-client=\"" + Pattern.quote(name) + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(tr.find(), "a row for " + name);
        String cells = tr.group(1);
        Map<String, String> row = new HashMap<>();
        for (String cell : List.of("served", "refused", "tokens", "value")) {
            row.put(cell, first(cells, "class=\"num " + cell + "\">([^<]*)<"));
        }
        String rule = first(cells, "<span class=\"pct\">([^<]*)<span class=\"used\">([^<]*)</span>");
        row.put("rule", rule != null ? rule : first(cells, "<td class=\"rules\"><span class=\"pct\">([^<]*)<"));
        row.put("left", first(cells, "<td class=\"num left\"><div[^>]*>([^<]*)<"));
        row.put("resets", first(cells, "<td class=\"pct resets\"><div[^>]*>([^<]*)<"));
        return row;
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        if (!m.find()) {
            return null;
        }
        StringBuilder found = new StringBuilder();
        for (int g = 1; g <= m.groupCount(); g++) {
            found.append(m.group(g));
        }
        return found.toString().strip();
    }

    private static long grew(String before, String after, String name, String... labels) {
        return Math.round(value(after, name, labels) - value(before, name, labels));
    }

    /** The sum of a metric's series that carry every label. */
    private static double value(String scrape, String name, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** A scrape once the quota gauges have read Redis after the mix (they reuse a reading for 1 s). */
    private static String scrapeWhenGaugesRead() {
        String scrape = scrape();
        for (int i = 0; i < 40 && value(scrape, "freeway_quota_remaining", "account=\"client:alice\"") != 0; i++) {
            pause();
            scrape = scrape();
        }
        return scrape;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String scrape() {
        return admin("/q/metrics").asString();
    }

    private static Response admin(String path) {
        return given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).when().get(path).then()
                .statusCode(200).extract().response();
    }

    private static String client(String name) {
        return "clients.find { it.name == '" + name + "' }";
    }

    private static List<String> sorted(List<?> names) {
        return names.stream().map(String::valueOf).sorted().toList();
    }

    private static String request(String model) {
        return "{\"model\":\"" + (model.contains("/") && !model.startsWith("openai/") ? model : "groq/" + model)
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of Norway?\"}]}";
    }

    private static Response ask(String key, String body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(body)
                .when().post("/v1/chat/completions");
    }
}

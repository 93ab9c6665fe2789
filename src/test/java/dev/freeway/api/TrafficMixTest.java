package dev.freeway.api;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.quota.LatencyHistogram;
import dev.freeway.support.Chromium;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A known mix of traffic, served and refused in every way a client can be refused after routing, and what status,
 * the dashboard (in headless Chromium) and /q/metrics say about it, compared figure by figure:
 * <ul>
 *   <li>served: three chat requests and one Anthropic Messages request at groq, two chat requests at Gemini (300 ms
 *       each)</li>
 *   <li>429 no room: groq's small model, both accounts answer that tokens per day ran out (two calls, both parked)</li>
 *   <li>429 parked: the same model again, both accounts still parked (no call)</li>
 *   <li>503 key refused: Cerebras refuses the key (one call)</li>
 *   <li>502 upstream failing: Z.AI answers 500 twice (a call and its retry; both counted, as the provider may)</li>
 *   <li>400 client error: Gemini refuses the request itself (one call)</li>
 *   <li>400 never fits: groq's big model with max_tokens over its 8,000 tokens a minute (no call)</li>
 * </ul>
 * Twelve requests: six served, six refused. Screenshots: {@code target/dashboard-traffic.png} (the whole page) and
 * {@code target/dashboard-request.png} (the recent requests filtered to one request id).
 */
@QuarkusTest
@TestProfile(DashboardBrowserTest.WithDemoProvider.class)
@QuarkusTestResource(ProviderDoubles.class)
class TrafficMixTest {

    static final String BIG = "openai/gpt-oss-120b";
    static final String SMALL = "openai/gpt-oss-20b";
    static final String GEMINI = "gemini-2.5-flash";
    static final String GEMINI_REFUSES = "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received."
            + " Unknown name \\\"foo\\\"\",\"status\":\"INVALID_ARGUMENT\"}}";
    static final String CEREBRAS_WRONG_KEY = "{\"message\":\"Wrong API Key\",\"type\":\"invalid_request_error\","
            + "\"param\":\"api_key\",\"code\":\"wrong_api_key\"}";

    /** Every request of the mix, in the order sent: its id, and the status its client gets. */
    static final Map<String, Integer> MIX = new LinkedHashMap<>();

    static {
        MIX.put("mix-served-1", 200);
        MIX.put("mix-served-2", 200);
        MIX.put("mix-served-3", 200);
        MIX.put("mix-served-messages", 200);
        MIX.put("mix-served-gemini-1", 200);
        MIX.put("mix-served-gemini-2", 200);
        MIX.put("mix-no-room", 429);
        MIX.put("mix-parked", 429);
        MIX.put("mix-key-refused", 503);
        MIX.put("mix-upstream-failing", 502);
        MIX.put("mix-client-error", 400);
        MIX.put("mix-never-fits", 400);
    }

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void served_and_refused_requests_add_up_in_status_dashboard_and_metrics() throws IOException {
        String metricsBefore = scrape();
        sendTheMix();
        String metricsAfter = scrape();
        JsonPath status = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).get("/v1/status")
                .then().statusCode(200).extract().jsonPath();
        JsonPath requests = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).get("/v1/requests")
                .then().statusCode(200).extract().jsonPath();

        recentRequestsHoldEveryRequestUnderItsId(requests);
        statusCountsServedAndRefusedApart(status, requests);
        metricsCountTheSameRefusalsTokensAndCalls(metricsBefore, metricsAfter);
        theDashboardShowsTheSameFigures(status, requests);
    }

    private static void recentRequestsHoldEveryRequestUnderItsId(JsonPath requests) {
        List<String> ids = requests.getList("data.id");
        List<String> newestFirst = new ArrayList<>(MIX.keySet());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, ids, "every request once, newest first");
        MIX.forEach((id, code) -> assertEquals(code, requests.getInt(entry(id) + ".status"), id));
        assertEquals("messages", requests.getString(entry("mix-served-messages") + ".endpoint"));
        assertEquals("groq", requests.getString(entry("mix-served-messages") + ".served.provider"));
        assertEquals(List.of("exhausted", "exhausted"), requests.getList(entry("mix-no-room") + ".skipped.why"));
        assertEquals(List.of("parked", "parked"), requests.getList(entry("mix-parked") + ".skipped.why"));
        assertEquals(0, requests.getInt(entry("mix-parked") + ".attempts"), "parked accounts are not called");
        assertEquals(List.of("key_refused"), requests.getList(entry("mix-key-refused") + ".skipped.why"));
        assertEquals(List.of("failed", "failed"), requests.getList(entry("mix-upstream-failing") + ".skipped.why"));
        assertEquals(List.of("never_fits", "never_fits"), requests.getList(entry("mix-never-fits") + ".skipped.why"));
        assertEquals("exceeds_limit", requests.getString(entry("mix-never-fits") + ".error"));
        assertEquals(1, requests.getInt(entry("mix-client-error") + ".attempts"));
        assertTrue(requests.getList(entry("mix-served-1") + ".task_evidence") != null, "the task's evidence is kept");
    }

    private static void statusCountsServedAndRefusedApart(JsonPath status, JsonPath requests) {
        // refused: each request once by its answer, and once for each provider it tried under its reason there
        assertEquals(6, status.getLong("refusals.total"));
        assertEquals(Map.of("exhausted", 2, "credentials_rejected", 1, "upstream_failed", 1, "client_error", 1,
                "never_fits", 1), status.getMap("refusals.by_answer"));
        assertEquals(List.of("no_room", "parked", "key_refused", "upstream_failing", "never_fits", "client_error"),
                status.getList("refusals.reasons"));
        assertEquals(reasons(1, 1, 0, 0, 1, 0), status.getMap(refused("groq") + ".by_reason"));
        assertEquals(3, status.getLong(refused("groq") + ".total"));
        assertEquals(reasons(0, 0, 1, 0, 0, 0), status.getMap(refused("cerebras") + ".by_reason"));
        assertEquals(reasons(0, 0, 0, 1, 0, 0), status.getMap(refused("zai") + ".by_reason"));
        List<Map<String, Object>> hours = status.getList("refusals.buckets");
        assertEquals("hour", status.getString("refusals.bucket"));
        assertEquals(6, hours.stream().mapToLong(h -> ((Number) h.get("total")).longValue()).sum(),
                "the hours add up to the day (the mix may cross an hour)");

        // served, per provider, apart from the calls counted against limits and the failed calls
        usage(status, "groq", 4, 4, 2, 2.0 / 6);            // two 429s moved on
        usage(status, "google-gemini", 2, 2, 1, 1.0 / 3);   // its client error
        usage(status, "zai", 0, 2, 2, 1.0);                 // two 500s it may have counted: calls, not requests served
        usage(status, "cerebras", 0, 0, 1, 1.0);            // its refused key
        long served = status.getList("usage.providers.total.served", Long.class).stream().mapToLong(Long::longValue)
                .sum();
        assertEquals(6, served);
        assertEquals(MIX.size(), served + status.getLong("refusals.total"), "served + refused = requests sent");
        assertEquals(8, status.getLong("pool.used_today"), "calls counted against limits: 6 served + zai's two");

        // latency: the bucket bound that holds each percentile of the calls the recent requests timed
        for (String provider : List.of("groq", "google-gemini")) {
            Map<Long, Long> buckets = new TreeMap<>();
            for (Map<String, Object> entry : requests.<Map<String, Object>>getList("data")) {
                Object by = entry.get("served");
                if (by != null && provider.equals(((Map<?, ?>) by).get("provider"))) {
                    String field = LatencyHistogram.field("m",
                            Duration.ofMillis(((Number) entry.get("latency_ms")).longValue()));
                    String le = field.substring(0, field.indexOf(':'));
                    buckets.merge(le.equals("inf") ? Long.MAX_VALUE : Long.parseLong(le), 1L, Long::sum);
                }
            }
            String latency = providerUsage(provider) + ".latency";
            assertEquals(LatencyHistogram.percentile(buckets, 0.5).orElseThrow(), status.getLong(latency + ".p50_ms"));
            assertEquals(LatencyHistogram.percentile(buckets, 0.95).orElseThrow(), status.getLong(latency + ".p95_ms"));
        }
        assertTrue(status.getLong(providerUsage("google-gemini") + ".latency.p50_ms") >= 500,
                "Gemini's 300 ms answers are slower than 250 ms");
        assertTrue(status.getString("usage.latency").contains("upper bounds of the histogram buckets"),
                status.getString("usage.latency"));
    }

    private static void metricsCountTheSameRefusalsTokensAndCalls(String before, String after) {
        Map<String, Double> refusals = new LinkedHashMap<>();
        refusals.put("groq no_room", 1.0);
        refusals.put("groq parked", 1.0);
        refusals.put("groq never_fits", 1.0);
        refusals.put("cerebras key_refused", 1.0);
        refusals.put("zai upstream_failing", 1.0);
        // each refused request once more, under provider="all" with its answer as the reason
        refusals.put("all exhausted", 2.0);
        refusals.put("all credentials_rejected", 1.0);
        refusals.put("all upstream_failed", 1.0);
        refusals.put("all client_error", 1.0);
        refusals.put("all never_fits", 1.0);
        refusals.forEach((series, count) -> {
            String[] parts = series.split(" ");
            assertEquals(count, delta(before, after, "freeway_refusals_total",
                    Map.of("provider", parts[0], "reason", parts[1])), series);
        });
        assertEquals(6.0, delta(before, after, "freeway_refusals_total", Map.of("provider", "all")));

        assertEquals(4 * 20.0, delta(before, after, "freeway_tokens_total",
                Map.of("provider", "groq", "model", BIG, "direction", "input")));
        assertEquals(4 * 10.0, delta(before, after, "freeway_tokens_total",
                Map.of("provider", "groq", "model", BIG, "direction", "output")));
        ModelSpec.Price price = CatalogReader.builtIn().get("groq").model(BIG).orElseThrow().price();
        assertEquals((80 * price.inputPerMillion() + 40 * price.outputPerMillion()) / 1e6,
                delta(before, after, "freeway_value_usd_total", Map.of("provider", "groq", "model", BIG)), 1e-12);
        assertEquals(3.0, delta(before, after, "freeway_upstream_requests_total", Map.of("endpoint",
                "chat_completions", "provider", "groq", "model", BIG, "outcome", "ok")));
        assertEquals(1.0, delta(before, after, "freeway_upstream_requests_total", Map.of("endpoint", "messages",
                "provider", "groq", "model", BIG, "outcome", "ok")));
        assertEquals(2.0, delta(before, after, "freeway_upstream_requests_total", Map.of("provider", "zai",
                "outcome", "upstream_error")));
    }

    private void theDashboardShowsTheSameFigures(JsonPath status, JsonPath requests) throws IOException {
        ChromeDriver browser = Chromium.start("TrafficMixTest");
        try {
            Chromium.logIn(browser, root);
            Map<String, Object> page = read(browser);
            assertEquals("6", page.get("served"));
            assertEquals("6", page.get("refused"));
            assertTrue(((String) page.get("refusedWhy")).contains("2 × 429 no room"), (String) page.get("refusedWhy"));
            Map<String, Object> answers = new TreeMap<>();
            status.getMap("refusals.by_answer").forEach((k, v) -> answers.put(String.valueOf(k), String.valueOf(v)));
            assertEquals(answers, new TreeMap<>((Map<?, ?>) page.get("answers")));

            // the refusals panel: providers by reason, as status counts them, and a drawn chart on the page's axis
            Map<String, Object> table = new LinkedHashMap<>();
            for (Map<String, Object> provider : status.<Map<String, Object>>getList("refusals.providers")) {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("total", String.valueOf(provider.get("total")));
                ((Map<?, ?>) provider.get("by_reason")).forEach((reason, count) -> cells.put(String.valueOf(reason),
                        ((Number) count).longValue() == 0 ? "—" : String.valueOf(count)));
                table.put((String) provider.get("name"), cells);
            }
            assertEquals(table, page.get("refusalTable"));
            List<?> rects = (List<?>) page.get("refusalRects");
            assertTrue(!rects.isEmpty() && rects.stream().allMatch(r -> ((Number) ((List<?>) r).get(0)).doubleValue()
                    > 2 && ((Number) ((List<?>) r).get(1)).doubleValue() > 2), "refusal bars drawn: " + rects);
            assertEquals(page.get("usageTicks"), page.get("refusalTicks"), "one time axis for usage and refusals");

            // served, refused, calls counted, failed calls and latency per provider, as status says
            for (String provider : List.of("groq", "google-gemini", "zai", "cerebras")) {
                String usage = providerUsage(provider);
                Map<?, ?> row = (Map<?, ?>) ((Map<?, ?>) page.get("usage")).get(provider);
                assertEquals(String.valueOf(status.getLong(usage + ".total.served")), row.get("served"), provider);
                assertEquals(String.valueOf(status.getLong(usage + ".total.requests")), row.get("calls"), provider);
                assertEquals(String.valueOf(status.getLong(usage + ".total.failed_calls")), row.get("failed"), provider);
                Long refusedHere = status.getObject(refused(provider) + ".total", Long.class);
                assertEquals(String.valueOf(refusedHere == null ? 0 : refusedHere), row.get("refused"), provider);
                Long p50 = status.getObject(usage + ".latency.p50_ms", Long.class);
                assertEquals(p50 == null ? "—" : "≤ " + String.format("%,d", p50) + " ms", row.get("p50"), provider);
            }

            // the recent requests: every one, newest first, each row saying what happened
            assertEquals(requests.getList("data.id"), page.get("recentIds"));
            Chromium.shoot(browser, Path.of("target", "dashboard-traffic.png"));
            assertEquals(List.of("mix-parked", "mix-no-room"), filtered(browser, "filter-status", "429"));
            assertEquals(List.of("mix-upstream-failing"), filtered(browser, "filter-provider", "zai"));
            assertEquals(List.of("mix-served-messages"), filtered(browser, "filter-door", "messages"));

            // the id a user quotes: one row, what it asked, what it got, why each candidate was skipped
            assertEquals(12, filtered(browser, "filter-id", "").size(), "no filter: every row");
            browser.findElement(By.id("filter-id")).sendKeys("mix-parked");
            Map<String, Object> one = oneRow(browser);
            assertEquals("mix-parked", one.get("id"));
            assertEquals("429 rate_limit_exceeded", one.get("outcome"));
            assertEquals("groq/" + SMALL, one.get("model"));
            assertEquals(List.of("parked", "parked"), one.get("whys"));
            assertEquals("1 of 12 requests", one.get("count"));
            browser.navigate().refresh();
            assertEquals("mix-parked", oneRow(browser).get("id"), "a refresh keeps the filter (in the #fragment)");
            Chromium.shoot(browser, Path.of("target", "dashboard-request.png"));
        } finally {
            browser.quit();
        }
    }

    private void sendTheMix() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion(BIG, "ok", 20, 10))));
        server().stubFor(chat("groq", null).withRequestBody(WireMock.containing(SMALL)).atPriority(1)
                .willReturn(json(429, FallbackTest.GROQ_TPD)));
        server().stubFor(chat("google-gemini", null).willReturn(json(200, completion(GEMINI, "g", 30, 15))
                .withFixedDelay(300)));
        server().stubFor(chat("google-gemini", null).withRequestBody(WireMock.containing("BROKEN")).atPriority(1)
                .willReturn(json(400, GEMINI_REFUSES)));
        server().stubFor(chat("cerebras", null).willReturn(json(401, CEREBRAS_WRONG_KEY)));
        server().stubFor(chat("zai", null).willReturn(json(500, "{\"error\":{\"code\":\"500\",\"message\":\"Internal"
                + " error\"}}")));

        ask("mix-served-1", "/v1/chat/completions", chatBody("groq/" + BIG, ""));
        ask("mix-served-2", "/v1/chat/completions", chatBody("groq/" + BIG, ""));
        ask("mix-served-3", "/v1/chat/completions", chatBody("groq/" + BIG, ""));
        ask("mix-served-messages", "/v1/messages", "{\"model\":\"groq/" + BIG + "\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        ask("mix-served-gemini-1", "/v1/chat/completions", chatBody("google-gemini/" + GEMINI, ""));
        ask("mix-served-gemini-2", "/v1/chat/completions", chatBody("google-gemini/" + GEMINI, ""));
        ask("mix-no-room", "/v1/chat/completions", chatBody("groq/" + SMALL, ""));
        ask("mix-parked", "/v1/chat/completions", chatBody("groq/" + SMALL, ""));
        ask("mix-key-refused", "/v1/chat/completions", chatBody("cerebras/gpt-oss-120b", ""));
        ask("mix-upstream-failing", "/v1/chat/completions", chatBody("zai/glm-4.7-flash", ""));
        ask("mix-client-error", "/v1/chat/completions", chatBody("google-gemini/" + GEMINI, " BROKEN"));
        ask("mix-never-fits", "/v1/chat/completions", chatBody("groq/" + BIG, "").replace("{\"model\"",
                "{\"max_tokens\":60000,\"model\""));
    }

    private static String chatBody(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi" + extra + "\"}]}";
    }

    private static void ask(String id, String path, String body) {
        given().contentType(ContentType.JSON).header("x-request-id", id).body(body).when().post(path)
                .then().statusCode(MIX.get(id)).header("x-request-id", id);
    }

    private static Map<String, Integer> reasons(int noRoom, int parked, int keyRefused, int upstream, int neverFits,
                                                int clientError) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        reasons.put("no_room", noRoom);
        reasons.put("parked", parked);
        reasons.put("key_refused", keyRefused);
        reasons.put("upstream_failing", upstream);
        reasons.put("never_fits", neverFits);
        reasons.put("client_error", clientError);
        return reasons;
    }

    private static void usage(JsonPath status, String provider, long served, long calls, long failed, double rate) {
        String total = providerUsage(provider) + ".total";
        assertEquals(served, status.getLong(total + ".served"), provider + " served");
        assertEquals(calls, status.getLong(total + ".requests"), provider + " calls counted");
        assertEquals(failed, status.getLong(total + ".failed_calls"), provider + " failed calls");
        assertEquals(Math.round(rate * 10_000) / 10_000.0, status.getDouble(total + ".error_rate"), 1e-9,
                provider + " error rate");
    }

    private static String providerUsage(String provider) {
        return "usage.providers.find { it.name == '" + provider + "' }";
    }

    private static String refused(String provider) {
        return "refusals.providers.find { it.name == '" + provider + "' }";
    }

    private static String entry(String id) {
        return "data.find { it.id == '" + id + "' }";
    }

    /** The ids of the rows shown with one filter set, the others cleared. */
    @SuppressWarnings("unchecked")
    private static List<String> filtered(ChromeDriver browser, String filter, String value) {
        return (List<String>) browser.executeScript("""
                for (const id of ['filter-provider', 'filter-status', 'filter-door', 'filter-id']) {
                  const field = document.getElementById(id);
                  field.value = id === arguments[0] ? arguments[1] : '';
                  field.dispatchEvent(new Event('change'));
                }
                return Array.from(document.querySelectorAll('#recent-table tbody tr[data-id]'))
                  .filter(r => !r.hidden).map(r => r.dataset.id);""", filter, value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> oneRow(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript("""
                const rows = Array.from(document.querySelectorAll('#recent-table tbody tr[data-id]')).filter(r => !r.hidden);
                if (rows.length !== 1) { return { rows: rows.length }; }
                const r = rows[0];
                return { id: r.dataset.id, outcome: r.querySelector('td.outcome').textContent.trim(),
                  model: r.querySelector('td.model').textContent.trim(),
                  whys: Array.from(r.querySelectorAll('td.skipped .why')).map(w => w.textContent.trim()),
                  count: document.getElementById('recent-count').textContent.trim() };""");
    }

    /** What the page shows, read in one script so a refresh cannot land between two reads. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript("""
                const all = s => Array.from(document.querySelectorAll(s));
                const text = (r, s) => r.querySelector(s).textContent.trim();
                return {
                  served: text(document, '#served-card .big'),
                  refused: text(document, '#refused-card .big'),
                  refusedWhy: text(document, '#refused-card .small'),
                  answers: Object.fromEntries(all('#answers li[data-kind]').map(l => [l.dataset.kind,
                      l.querySelector('strong').textContent.trim()])),
                  refusalTable: Object.fromEntries(all('#refusals-table tbody tr[data-provider]').map(r => [
                      r.dataset.provider, Object.fromEntries([['total', text(r, 'td.total')]].concat(
                          Array.from(r.querySelectorAll('td[data-reason]')).map(c => [c.dataset.reason,
                              c.textContent.trim()])))])),
                  refusalRects: all('#refusal-chart rect.segment').map(r => {
                    const box = r.getBoundingClientRect();
                    return [box.width, box.height];
                  }),
                  refusalTicks: all('#refusal-chart text.tick').map(t => t.textContent),
                  usageTicks: all('figure.chart[data-provider="groq"] text.tick').map(t => t.textContent),
                  usage: Object.fromEntries(all('#usage tbody tr').map(r => [r.dataset.provider, {
                      served: text(r, 'td.served'), refused: text(r, 'td.refused'), calls: text(r, 'td.calls'),
                      failed: text(r, 'td.failed'), p50: text(r, 'td.p50') }])),
                  recentIds: all('#recent-table tbody tr[data-id]').map(r => r.dataset.id)
                };""");
    }

    private static String scrape() {
        return given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
    }

    /** How much the sum of every series of a metric matching these labels grew between two scrapes. */
    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return sum(after, name, labels) - sum(before, name, labels);
    }

    private static double sum(String text, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && labels.entrySet().stream()
                    .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}

package dev.freeway.api;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.freeway.support.Chromium;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
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
import java.util.List;
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard as a person sees it: Debian's chromium, headless, logs in through the form and reads the rendered
 * page. It checks the pool table, the highlighted accounts, the demo badge, the routing chains and a drawn chart,
 * and keeps a screenshot at {@code target/dashboard.png}. Where chromium or chromedriver is missing it is skipped with
 * a one-line notice, except under CI=true (.ci/run installs both), where it fails ({@link Chromium}).
 */
@QuarkusTest
@TestProfile(DashboardBrowserTest.WithDemoProvider.class)
@QuarkusTestResource(ProviderDoubles.class)
class DashboardBrowserTest {

    static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    static final String BIG = "openai/gpt-oss-120b";
    static final String SMALL = "openai/gpt-oss-20b";

    /**
     * Adds a provider named like the demo providers, so the page must show its DEMO badge, and a fallback chain with
     * a provider that has no account.
     */
    public static class WithDemoProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("freeway.routing.fallback-chain", "openrouter,mistral",
                    "freeway.providers.demo-echo.type", "openai-compatible",
                    "freeway.providers.demo-echo.base-url", "http://127.0.0.1:9/v1",
                    "freeway.providers.demo-echo.models.echo-1.context-window", "8192",
                    "freeway.providers.demo-echo.accounts[0].id", "demo",
                    "freeway.providers.demo-echo.accounts[0].api-key", "none");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void the_dashboard_shows_the_pool_routes_and_a_drawn_chart_in_chromium() throws IOException {
        serveAMix();
        JsonPath status = given().header("x-freeway-admin-key", ProviderDoubles.ADMIN_KEY).get("/v1/status")
                .then().statusCode(200).extract().jsonPath();

        ChromeDriver browser = Chromium.start("DashboardBrowserTest");
        try {
            Chromium.logIn(browser, root);
            assertEquals("Freeway — pool status", browser.getTitle());

            Map<String, Object> page = read(browser);
            List<String> providers = status.getList("providers.name");
            assertEquals(providers, page.get("providers"), "one pool row per provider, in order");
            assertEquals(List.of("DEMO"), page.get("demoBadges"));
            assertTrue(((List<?>) page.get("parked")).contains("groq/team-a"), "parked: " + page.get("parked"));
            assertEquals(List.of("cerebras/main"), page.get("rejected"));
            assertEquals(List.of("google-gemini", "groq"), ((List<?>) page.get("charts")).stream().sorted().toList());

            List<?> rects = (List<?>) page.get("groqRects");
            assertFalse(rects.isEmpty(), "groq's chart has bars");
            for (Object rect : rects) {
                List<?> box = (List<?>) rect;
                assertTrue(((Number) box.get(0)).doubleValue() > 2 && ((Number) box.get(1)).doubleValue() > 2,
                        "each drawn bar has a visible size: " + box);
            }
            assertEquals(2L, rects.stream().map(r -> ((List<?>) r).get(2)).distinct().count(),
                    "team-a and team-b stacked in two colours");
            assertEquals(status.getList("routing.tasks.find { it.task == 'reasoning' }.chain.candidate"),
                    page.get("reasoning"));
            assertEquals("groq/" + BIG, ((List<?>) page.get("reasoning")).get(0));
            assertTrue(((String) page.get("value")).startsWith("$"), "value: " + page.get("value"));
            assertEquals(List.of("openrouter", "mistral"), page.get("fallback"));
            assertEquals(List.of(true, false), page.get("fallbackReady"), "mistral has no account here");

            // numbers that add up, and truths said plainly
            assertTrue(((String) page.get("within")).startsWith(status.getLong("pool.used_within_capacity")
                    + " of "), "the card compares requests under daily limits with them: " + page.get("within"));
            assertTrue(((String) page.get("parkedBar")).contains("parked until"), "parked bar: " + page.get("parkedBar"));
            assertTrue(((List<?>) page.get("blockedWhy")).stream().anyMatch(w -> ((String) w).contains("credentials"
                    + " rejected")), "a blocked step says why: " + page.get("blockedWhy"));
            assertFalse(((List<?>) page.get("blockedLook")).contains("line-through"), "no strike-through");
            assertEquals(String.valueOf(status.getLong("usage.providers.find { it.name == 'groq' }.total.requests")),
                    ((Map<?, ?>) page.get("usage")).get("groq"));
            assertTrue(String.valueOf(((Map<?, ?>) page.get("resets")).get("google-gemini"))
                    .contains("America/Los_Angeles"), "Gemini's reset on the UTC axis: " + page.get("resets"));
            assertEquals("UTC", page.get("zone"));
            assertEquals(8, ((List<?>) page.get("ticks")).size(), "every third hour of one UTC day");
            Chromium.shoot(browser, SCREENSHOT);

            // the range switch: 7 days by day, the same numbers' source
            browser.findElement(By.cssSelector("#range a[data-range='7d']")).click();
            Map<String, Object> week = read(browser);
            assertEquals("Calls counted a day, last 7 days", week.get("title"));
            assertEquals(7, ((List<?>) week.get("ticks")).size(), "one label a day");
            assertEquals(List.of("google-gemini", "groq"), ((List<?>) week.get("charts")).stream().sorted().toList());
            Chromium.shoot(browser, Path.of("target", "dashboard-7d.png"));

            // the zone switch, without a network: the viewer's own zone for the whole page
            browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
            browser.findElement(By.cssSelector("#range a[data-range='today']")).click();
            browser.findElement(By.id("zone-local")).click();
            Map<String, Object> tokyo = read(browser);
            assertEquals("Asia/Tokyo", tokyo.get("zone"));
            String geminiReset = String.valueOf(((Map<?, ?>) tokyo.get("resets")).get("google-gemini"));
            assertTrue(geminiReset.contains("America/Los_Angeles") && geminiReset.contains("Asia/Tokyo"), geminiReset);
            Chromium.shoot(browser, Path.of("target", "dashboard-tokyo.png"));

            String source = browser.getPageSource();
            for (String secret : AdminAccessTest.SECRETS) {
                assertFalse(source.contains(secret), "the page shows a key");
            }
        } finally {
            browser.quit();
        }
    }

    /** Everything the page shows, read in one script so a refresh cannot land between two reads. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript("""
                const all = s => Array.from(document.querySelectorAll(s));
                return {
                  providers: all('#pool tbody tr').map(r => r.dataset.provider),
                  demoBadges: all('#pool tr[data-provider="demo-echo"] .badge.demo').map(b => b.textContent.trim()),
                  parked: all('#accounts tr.parked').map(r => r.dataset.account),
                  rejected: all('#accounts tr.rejected').map(r => r.dataset.account),
                  charts: all('figure.chart').map(f => f.dataset.provider),
                  groqRects: all('figure.chart[data-provider="groq"] rect.segment').map(r => {
                    const box = r.getBoundingClientRect();
                    return [box.width, box.height, r.getAttribute('fill')];
                  }),
                  reasoning: all('.route[data-task="reasoning"] .step .candidate').map(s => s.textContent.trim()),
                  blockedWhy: all('.route .step.blocked .why').map(s => s.textContent.trim()),
                  blockedLook: all('.route .step.blocked').map(s => getComputedStyle(s).textDecorationLine),
                  within: document.getElementById('within').textContent.trim(),
                  parkedBar: (document.querySelector('#accounts tr[data-account="groq/team-a"] .pct') || {}).textContent,
                  usage: Object.fromEntries(all('#usage tbody tr').map(r => [r.dataset.provider,
                      r.querySelector('td.calls').textContent.trim()])),
                  resets: Object.fromEntries(all('figure.chart').map(f => [f.dataset.provider,
                      (f.querySelector('.reset-label') || {}).textContent || null])),
                  ticks: all('figure.chart[data-provider="groq"] text.tick').map(t => t.textContent),
                  title: document.getElementById('range-title').textContent.trim(),
                  zone: document.getElementById('zone').textContent.trim(),
                  value: document.querySelector('#value-card .big').textContent.trim(),
                  fallback: all('#fallback-chain .step .candidate').map(s => s.textContent.trim()),
                  fallbackReady: all('#fallback-chain .step').map(s => s.classList.contains('ready'))
                };""");
    }

    /**
     * Groq serves six calls over both accounts, then team-a runs out of tokens for the small model; Gemini serves
     * two; Cerebras refuses its key.
     */
    private static void serveAMix() {
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).willReturn(json(200, completion(BIG, "a", 120, 80))));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_B).willReturn(json(200, completion(BIG, "b", 90, 40))));
        server().stubFor(chat("groq", ProviderDoubles.GROQ_KEY_A).withRequestBody(WireMock.containing(SMALL))
                .atPriority(1).willReturn(json(429, FallbackTest.GROQ_TPD)));
        server().stubFor(chat("google-gemini", null).willReturn(json(200, completion("gemini-2.5-flash", "g", 40, 30))));
        server().stubFor(chat("cerebras", null).willReturn(json(401,
                "{\"message\":\"Wrong API Key\",\"type\":\"invalid_request_error\",\"param\":\"api_key\",\"code\":\"wrong_api_key\"}")));
        for (int i = 0; i < 6; i++) {
            ask("groq/" + BIG, 200);
        }
        ask("groq/" + SMALL, 200);
        ask("groq/" + SMALL, 200);
        ask("google-gemini/gemini-2.5-flash", 200);
        ask("google-gemini/gemini-2.5-flash", 200);
        ask("cerebras/gpt-oss-120b", 503); // its key refused: a configuration mistake, not an upstream failure
    }

    private static void ask(String model, int expected) {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(expected);
    }
}

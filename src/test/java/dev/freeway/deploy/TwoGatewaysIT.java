package dev.freeway.deploy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.freeway.catalog.LimitRule;
import dev.freeway.quota.HourlyUsage;
import dev.freeway.quota.RedisScripts;
import dev.freeway.quota.RedisFailureMode;
import dev.freeway.quota.RedisQuotaStore;
import dev.freeway.quota.UsageCounts;
import dev.freeway.quota.UsageLedger;
import dev.freeway.support.GatewayProcess;
import dev.freeway.support.ProviderDoubles;
import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.freeway.support.ProviderDoubles.GROQ_KEY_A;
import static dev.freeway.support.ProviderDoubles.GROQ_KEY_B;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.sse;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 2, stateless functions: separate Freeway processes (the packaged jar, each in its own JVM) share one
 * Redis and behave as one gateway. Nothing a request leaves behind lives in a process: round-robin positions,
 * parked accounts, counters and leases are in Redis, written before the response, and expire by themselves when a
 * process dies mid-request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoGatewaysIT {

    private static final String MODEL = "openai/gpt-oss-120b";
    private static final String GROQ_KEY_C = "gsk_testkeyCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    private static final String CHAT = "{\"model\":\"groq/" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String VLLM_CHAT = "{\"model\":\"local-vllm/qwen3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String VLLM_PATH = "/vllm/v1/chat/completions";
    private static final long LEASE_SECONDS = 5;
    /** Groq's answer when an organisation's tokens per day are spent (shared/reference/providers.yaml). */
    private static final String GROQ_TPD = """
            {"error":{"message":"Rate limit reached for model `openai/gpt-oss-120b` in organization `org_01m1wxvf55eaz8efnp1ztvd88j` service tier `on_demand` on tokens per day (TPD): Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s.","type":"tokens","code":"rate_limit_exceeded"}}""";
    private static final LimitRule TOKENS_PER_DAY = LimitRule.of(LimitRule.Metric.TOKENS, LimitRule.Window.DAY,
            LimitRule.Scope.MODEL, 200_000);
    private static final LimitRule ONE_AT_A_TIME = LimitRule.of(LimitRule.Metric.CONCURRENT_REQUESTS,
            LimitRule.Window.NONE, LimitRule.Scope.ACCOUNT, 1);

    private RedisServer redis;
    private WireMockServer upstream;
    private Path config;
    private GatewayProcess a;
    private GatewayProcess b;
    private Vertx vertx;
    private RedisQuotaStore store;
    private UsageLedger ledger;

    @BeforeAll
    void start() throws IOException {
        redis = RedisServer.start();
        upstream = new WireMockServer(options().dynamicPort());
        upstream.start();
        config = writeConfig();
        CompletableFuture<GatewayProcess> first = CompletableFuture.supplyAsync(() -> GatewayProcess.start("gateway-a", config));
        b = GatewayProcess.start("gateway-b", config);
        a = first.join();
        vertx = Vertx.vertx();
        RedisScripts scripts = new RedisScripts(RedisBackend.client(vertx, false, redis.uris()), Duration.ofSeconds(5));
        ledger = new UsageLedger(scripts, Duration.ofDays(35), Clock.systemUTC());
        store = new RedisQuotaStore(scripts, ledger, RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(LEASE_SECONDS),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{a, b, upstream::stop, vertx == null ? null : vertx::closeAndAwait, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep stopping the rest
            }
        }
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        Resp.command(redis.port(), "FLUSHALL");
    }

    @Test
    void each_process_counts_in_the_configured_redis_and_starts_none_of_its_own() {
        for (GatewayProcess gateway : List.of(a, b)) {
            assertFalse(gateway.log().contains("Started embedded Redis"), gateway + " started a private Redis:\n"
                    + gateway.logTail());
        }
    }

    @Test
    void round_robin_continues_across_processes_exactly_as_one_gateway_would() {
        stubEveryGroqAccount();
        List<String> alternating = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Response served = ask(i % 2 == 0 ? a : b, CHAT);
            alternating.add(served.header("x-freeway-account"));
            remaining.add(served.header("x-ratelimit-remaining-requests"));
        }
        Resp.command(redis.port(), "FLUSHALL");
        List<String> oneGateway = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            oneGateway.add(ask(a, CHAT).header("x-freeway-account"));
        }

        assertEquals(List.of("team-a", "team-b", "team-c", "team-a", "team-b", "team-c"), alternating,
                "requests alternating between the processes walk the accounts in turn");
        assertEquals(oneGateway, alternating, "two processes rotate exactly as one does");
        // Each account's daily request counter is shared: the second call to an account, through the other
        // process, sees the first one counted.
        assertEquals(List.of("999", "999", "999", "998", "998", "998"), remaining);
    }

    @Test
    void an_account_parked_through_one_process_is_skipped_by_the_other_without_calling_upstream() {
        stubEveryGroqAccount();
        upstream.stubFor(chat("groq", GROQ_KEY_A).willReturn(json(429, GROQ_TPD)));

        Response first = ask(a, CHAT);
        assertEquals("team-b", first.header("x-freeway-account"), "team-a said its tokens per day are spent");
        assertEquals("2", first.header("x-freeway-attempts"));
        // Round robin moved past team-b, which served: B's next request goes to team-c, and the turn after is
        // team-a's again: the parked one.
        assertEquals("team-c", ask(b, CHAT).header("x-freeway-account"));
        Response afterTheTurn = ask(b, CHAT);

        assertEquals("team-b", afterTheTurn.header("x-freeway-account"), "team-a is parked, so team-b serves");
        assertEquals("1", afterTheTurn.header("x-freeway-attempts"), "one upstream call: team-a was not called");
        upstream.verify(1, postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + GROQ_KEY_A)));
        Instant until = store.parked("groq:team-a", MODEL).orElseThrow().until();
        assertTrue(until.isAfter(Instant.now().plusSeconds(6 * 60)), "parked for Groq's 6m30s: " + until);
    }

    @Test
    void every_redis_write_of_a_call_is_done_when_its_response_arrives() throws Exception {
        upstream.stubFor(chat("groq", GROQ_KEY_A).willReturn(json(200, completion(MODEL, "hi", 7, 5))));
        upstream.stubFor(chat("groq", GROQ_KEY_B).willReturn(sse(ProviderDoubles.stream(MODEL, List.of("a", "b"), 9, 3))));

        ask(a, CHAT);
        // No waiting: the settled count (not the reservation's estimate of about a thousand) and the ledger row are
        // there as soon as the response is.
        assertEquals(12, tokensUsedToday("groq:team-a"), "settled to the 7 + 5 tokens the provider reported");
        assertEquals(new UsageCounts(1, 7, 5, 0, 0, 0), ledgerNow("groq:team-a"));

        HttpRequest streaming = HttpRequest.newBuilder(b.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(streaming, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("team-b", response.headers().firstValue("x-freeway-account").orElse(null));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = events.readLine()) != null && !line.equals("data: [DONE]")) {
                assertFalse(line.contains("[DONE]"), line);
            }
            assertEquals("data: [DONE]", line, "the stream ends with [DONE]");
            // Checked the moment [DONE] arrives, while the response is still open.
            assertEquals(12, tokensUsedToday("groq:team-b"), "settled to the 9 + 3 tokens of the final chunk");
            assertEquals(new UsageCounts(1, 9, 3, 0, 0, 0), ledgerNow("groq:team-b"));
        }
    }

    @Test
    void a_process_killed_mid_request_leaves_only_expiring_keys_and_its_lease_frees_itself() throws Exception {
        upstream.stubFor(chat("local-vllm", null).inScenario("slow first").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, completion("qwen3-8b", "late", 1, 1)).withFixedDelay(20_000))
                .willSetStateTo("answered"));
        upstream.stubFor(chat("local-vllm", null).inScenario("slow first").whenScenarioStateIs("answered")
                .willReturn(json(200, completion("qwen3-8b", "now", 1, 1))));

        try (GatewayProcess victim = GatewayProcess.start("gateway-killed", config)) {
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(victim.uri("/v1/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(VLLM_CHAT))
                    .build(), HttpResponse.BodyHandlers.discarding());
            awaitUpstreamCalls(1);
            assertEquals(1, leasesHeld(), "the call in flight holds the account's only slot");
            victim.kill();
        }

        Response refused = given().baseUri(b.baseUri()).contentType(ContentType.JSON).body(VLLM_CHAT)
                .when().post("/v1/chat/completions");
        assertEquals(429, refused.statusCode(), "the dead process's lease still holds the slot: " + refused.asString());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= LEASE_SECONDS + 1, "Retry-After says when the lease ends: " + retryAfter);
        assertEquals(1, upstreamCalls(), "the refused request never reached the provider");

        List<String> keys = keys();
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            long ttl = (Long) Resp.command(redis.port(), "PTTL", key);
            assertTrue(ttl > 0, key + " has no expiry (PTTL " + ttl + ")");
            if (key.contains(":q:concurrent_requests")) {
                assertTrue(ttl <= Duration.ofSeconds(2 * LEASE_SECONDS).plusMinutes(1).toMillis(),
                        "the lease key lives for the lease and the settle grace only: " + ttl);
            }
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(LEASE_SECONDS + 5).toNanos();
        Response served = refused;
        while (served.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = given().baseUri(b.baseUri()).contentType(ContentType.JSON).body(VLLM_CHAT)
                    .when().post("/v1/chat/completions");
        }
        assertEquals(200, served.statusCode(), "the slot freed itself after the lease: " + served.asString());
        assertEquals("now", served.jsonPath().getString("choices[0].message.content"));
        assertEquals(0, leasesHeld(), "the served call returned its lease before its response");
    }

    @Test
    void a_responses_conversation_started_on_one_process_continues_on_the_other() {
        stubEveryGroqAccount();
        Response first = given().baseUri(a.baseUri()).contentType(ContentType.JSON)
                .body("{\"model\":\"groq/" + MODEL + "\",\"input\":\"My name is Ada.\"}")
                .when().post("/v1/responses");
        assertEquals(200, first.statusCode(), first.asString());
        String id = first.jsonPath().getString("id");

        Response second = given().baseUri(b.baseUri()).contentType(ContentType.JSON)
                .body("{\"model\":\"groq/" + MODEL + "\",\"previous_response_id\":\"" + id
                        + "\",\"input\":\"What is my name?\"}")
                .when().post("/v1/responses");

        assertEquals(200, second.statusCode(), second.asString());
        upstream.verify(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("My name is Ada."))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("What is my name?")));
        assertEquals(200, given().baseUri(a.baseUri()).when().get("/v1/responses/" + second.jsonPath().getString("id"))
                .statusCode(), "the second turn is readable from the first process too");
    }

    private void stubEveryGroqAccount() {
        for (String key : List.of(GROQ_KEY_A, GROQ_KEY_B, GROQ_KEY_C)) {
            upstream.stubFor(chat("groq", key).willReturn(json(200, completion(MODEL, "hello", 3, 2))));
        }
    }

    private static Response ask(GatewayProcess gateway, String body) {
        Response response = given().baseUri(gateway.baseUri()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), gateway + " answered " + response.asString());
        return response;
    }

    private long tokensUsedToday(String account) {
        return store.snapshot(account, MODEL, List.of(TOKENS_PER_DAY), ZoneOffset.UTC).get(0).used();
    }

    private UsageCounts ledgerNow(String account) {
        Instant now = Instant.now();
        List<HourlyUsage> rows = ledger.read(account, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
        assertEquals(1, rows.size(), "one ledger row: " + rows);
        return rows.get(0).counts();
    }

    private long leasesHeld() {
        return store.snapshot("local-vllm:lab", "qwen3-8b", List.of(ONE_AT_A_TIME), ZoneOffset.UTC).get(0).used();
    }

    private int upstreamCalls() {
        return upstream.findAll(postRequestedFor(urlEqualTo(VLLM_PATH))).size();
    }

    private void awaitUpstreamCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (upstreamCalls() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, upstreamCalls(), "upstream calls");
    }

    @SuppressWarnings("unchecked")
    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<Object> page = (List<Object>) Resp.command(redis.port(), "SCAN", cursor, "COUNT", "1000");
            cursor = (String) page.get(0);
            ((List<Object>) page.get(1)).forEach(key -> keys.add((String) key));
        } while (!cursor.equals("0"));
        return keys;
    }

    /** Three Groq accounts in round robin, and one local server whose account takes one call at a time. */
    private Path writeConfig() throws IOException {
        String base = "http://127.0.0.1:" + upstream.port();
        String groqAccount = """
                        - id: %s
                          api-key: %s
                          # above what a test sends, so the headers show the daily figure
                          limits: [{metric: requests, window: minute, limit: 100000, per-model: true}]
                """;
        String yaml = """
                quarkus:
                  redis:
                    hosts: %s
                freeway:
                  quota:
                    embedded-redis: false
                    lease-seconds: %d
                    # a process's first call also connects; on a starved CI machine that can pass the 1s default
                    redis-timeout: 5s
                  providers:
                    groq:
                      base-url: %s/groq/openai/v1
                      load-balancing: round_robin
                      accounts:
                %s%s%s    local-vllm:
                      type: openai-compatible
                      base-url: %s/vllm/v1
                      timeout: 30s
                      models:
                        qwen3-8b: {context-window: 32768}
                      accounts:
                        - id: lab
                          api-key: none
                          limits: [{metric: concurrent_requests, limit: 1}]
                """.formatted(redis.uri(), LEASE_SECONDS, base,
                groqAccount.formatted("team-a", GROQ_KEY_A), groqAccount.formatted("team-b", GROQ_KEY_B),
                groqAccount.formatted("team-c", GROQ_KEY_C), base);
        Path file = Path.of("target", "it-logs", "two-gateways.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }
}

package dev.freeway.deploy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.freeway.support.GatewayProcess;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 7 across processes, with the default one-second Redis timeout: three freshly started gateways take a
 * burst of 400 concurrent requests without a single 503 while Redis is healthy, and when Redis is frozen under
 * load, every request Freeway gave up on changes nothing once Redis thaws. In both, the requests Redis counts are
 * exactly the calls the provider received, and no lease is left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeGatewaysIT {

    private static final String MODEL = "qwen3-8b";
    private static final String CHAT = "{\"model\":\"local-vllm/" + MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Hi\"}]}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newFixedThreadPool(64)).build();

    private RedisServer redis;
    private WireMockServer upstream;
    private final List<GatewayProcess> gateways = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        redis = RedisServer.start();
        upstream = new WireMockServer(options().dynamicPort().containerThreads(64));
        upstream.start();
        upstream.stubFor(chat("local-vllm", null).willReturn(json(200, completion(MODEL, "hi", 3, 2))
                .withFixedDelay(20)));
        Path config = writeConfig();
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        for (String name : List.of("cold-a", "cold-b", "cold-c")) {
            starting.add(CompletableFuture.supplyAsync(() -> GatewayProcess.start(name, config)));
        }
        starting.forEach(s -> gateways.add(s.join()));
    }

    @AfterAll
    void stop() {
        gateways.forEach(GatewayProcess::close);
        if (upstream != null) {
            upstream.stop();
        }
        if (redis != null) {
            redis.resume();
            redis.close();
        }
    }

    @Test
    void a_cold_burst_of_400_across_three_fresh_processes_gets_no_503_and_counts_exactly_the_calls_made()
            throws Exception {
        Map<Integer, Integer> statuses = burst(400);

        assertEquals(Map.of(200, 400), statuses, "every request of the burst was served");
        assertEquals(upstreamCalls(), counted(), "Redis counts exactly the calls the provider received");
        assertEquals(0, leases());
    }

    @Test
    void a_frozen_redis_under_load_leaves_no_count_without_a_call_and_no_lease_once_it_thaws() throws Exception {
        upstream.resetRequests();
        Resp.command(redis.port(), "FLUSHALL");
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger readyAnswersDuringPause = new AtomicInteger();
        List<CompletableFuture<Void>> load = new ArrayList<>();
        long start = System.currentTimeMillis();
        boolean frozen = false;
        boolean thawed = false;
        for (int i = 0; i < 160; i++) { // 20 a second for 8 s; Redis frozen from 1.5 s to 6.5 s
            Thread.sleep(Math.max(0, start + i * 50L - System.currentTimeMillis()));
            long elapsed = System.currentTimeMillis() - start;
            if (!frozen && elapsed >= 1500) {
                redis.pause();
                frozen = true;
                load.add(CompletableFuture.runAsync(() -> readyAnswersDuringPause.set(readiness(gateways.get(0)))));
            }
            if (frozen && !thawed && elapsed >= 6500) {
                redis.resume();
                thawed = true;
            }
            load.add(send(gateways.get(i % 3)).thenAccept(status -> statuses.merge(status, 1, Integer::sum)));
        }
        if (!thawed) {
            redis.resume();
        }
        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).join();
        awaitQuiet();

        System.out.println("statuses with Redis frozen for 5 s: " + new TreeMap<>(statuses));
        assertEquals(503, readyAnswersDuringPause.get(), "readiness went down, and said so within its timeout");
        assertTrue(statuses.getOrDefault(503, 0) > 0, "requests during the freeze were refused: " + statuses);
        assertEquals(upstreamCalls(), counted(), "no count without a call once Redis has thawed: " + statuses);
        assertEquals(0, leases(), "no lease left by a request Freeway gave up on");
        for (GatewayProcess gateway : gateways) {
            assertEquals(200, readiness(gateway), gateway + " is ready again");
        }
    }

    private Map<Integer, Integer> burst(int requests) {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            all.add(send(gateways.get(i % 3)).thenAccept(status -> statuses.merge(status, 1, Integer::sum)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return new TreeMap<>(statuses);
    }

    private static CompletableFuture<Integer> send(GatewayProcess gateway) {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                .exceptionally(e -> -1);
    }

    /** The readiness status, which must come within its own timeout even while Redis is frozen. */
    private static int readiness(GatewayProcess gateway) {
        try {
            return HTTP.send(HttpRequest.newBuilder(gateway.uri("/q/health/ready")).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until every give-up and end has reached Redis: the counters stop moving. */
    private void awaitQuiet() throws InterruptedException {
        long last = -1;
        for (int stable = 0; stable < 4; ) {
            Thread.sleep(500);
            long now = counted() * 1000 + leases();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private int upstreamCalls() {
        return upstream.findAll(anyRequestedFor(anyUrl())).size();
    }

    private long counted() {
        long sum = 0;
        for (Object key : (List<?>) Resp.command(redis.port(), "KEYS", "fw:\\{acct:local-vllm:lab\\}:q:requests:day*")) {
            sum += Long.parseLong(String.valueOf(Resp.command(redis.port(), "GET", (String) key)));
        }
        return sum;
    }

    private long leases() {
        long held = 0;
        for (Object key : (List<?>) Resp.command(redis.port(), "KEYS",
                "fw:\\{acct:local-vllm:lab\\}:q:concurrent_requests*")) {
            held += (Long) Resp.command(redis.port(), "ZCOUNT", (String) key, "(" + System.currentTimeMillis(), "+inf");
        }
        return held;
    }

    /** One local server, its account counted per day and leased per call; Freeway's defaults otherwise. */
    private Path writeConfig() throws IOException {
        String yaml = """
                quarkus:
                  redis:
                    hosts: %s
                freeway:
                  quota:
                    embedded-redis: false
                  providers:
                    local-vllm:
                      type: openai-compatible
                      base-url: http://127.0.0.1:%d/vllm/v1
                      models:
                        qwen3-8b: {context-window: 32768}
                      accounts:
                        - id: lab
                          api-key: none
                          limits:
                            - {metric: requests, window: day, limit: 1000000}
                            - {metric: concurrent_requests, limit: 1000}
                """.formatted(redis.uri(), upstream.port());
        Path file = Path.of("target", "it-logs", "three-gateways.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }
}

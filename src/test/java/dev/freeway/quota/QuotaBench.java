package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Measures what the quota engine costs a request against a local redis-server: Redis round trips per served call
 * (counted by Redis itself, INFO commandstats) and the latency of reserve + settle. Not a test; see
 * bench/quota/run.sh, which writes bench/quota/RESULTS.md from this output.
 *
 * <p>Argument: iterations (default 20000).
 */
public final class QuotaBench {

    /** A Groq-like free tier: RPM, RPD, TPM and TPD per model, plus a concurrency cap; limits high enough never to deny. */
    private static final List<LimitRule> RULES = List.of(
            LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.MODEL, 1_000_000_000),
            LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1_000_000_000),
            LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 1_000_000_000_000L),
            LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 1_000_000_000_000L),
            LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1_000_000));

    private static final int THREADS = 16;

    private QuotaBench() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (RedisServer redis = RedisServer.start()) {
            Vertx vertx = Vertx.vertx();
            RedisScripts scripts = new RedisScripts(redis.client(vertx), Duration.ofSeconds(5));
            Clock clock = Clock.systemUTC();
            RedisQuotaStore store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                    RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(300), clock);
            QuotaStore.QuotaRequest request = new QuotaStore.QuotaRequest("bench:" + UUID.randomUUID(),
                    "openai/gpt-oss-120b", RULES, ZoneId.of("America/Los_Angeles"), 800, 1024);

            run(store, request, 2_000, null, null);
            Resp.command(redis.port(), "CONFIG", "RESETSTAT");
            long[] reserve = new long[iterations];
            long[] settle = new long[iterations];
            run(store, request, iterations, reserve, settle);
            Map<String, Long> calls = commandCalls(redis.port());
            String evalshaStats = Resp.text(redis.port(), "INFO", "commandstats")
                    .replaceAll("(?s).*cmdstat_evalsha:[^\\r\\n]*usec_per_call=([0-9.]+).*", "$1");

            long[] both = new long[iterations];
            Arrays.setAll(both, i -> reserve[i] + settle[i]);
            long roundTrips = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
            System.out.printf("redis-server %s, %d rules per call, %d served calls (reserve + settle each)%n",
                    Resp.text(redis.port(), "INFO", "server").replaceAll("(?s).*redis_version:([^\\r\\n]+).*", "$1"),
                    RULES.size(), iterations);
            System.out.printf("round trips per call: %.2f (EVALSHA %d, EVAL %d)%n", (double) roundTrips / iterations,
                    calls.getOrDefault("evalsha", 0L), calls.getOrDefault("eval", 0L));
            System.out.printf("script time inside Redis per EVALSHA: %s µs%n", evalshaStats);
            System.out.printf("commands Redis ran inside the scripts per call: %.1f %s%n",
                    (double) (calls.values().stream().mapToLong(Long::longValue).sum() - roundTrips) / iterations, calls);
            print("PING (one bare round trip through the same client)", ping(scripts, iterations));
            print("reserve", reserve);
            print("settle", settle);
            print("reserve + settle", both);
            System.out.printf("throughput with %d threads: %.0f served calls/s%n", THREADS,
                    throughput(store, request, iterations));
            vertx.closeAndAwait();
        }
    }

    private static void run(RedisQuotaStore store, QuotaStore.QuotaRequest request, int iterations, long[] reserve,
                            long[] settle) {
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            Reservation r = store.reserve(request, CreditPrice.NONE);
            long reserved = System.nanoTime();
            if (!r.admitted()) {
                throw new IllegalStateException("bench rules must never deny, but " + r.deniedBy() + " did");
            }
            r.admission().served(Spent.reported(750, 300), List.of()).join();
            long settled = System.nanoTime();
            if (reserve != null) {
                reserve[i] = reserved - start;
                settle[i] = settled - reserved;
            }
        }
    }

    /** Served calls per second when many request threads share the store, as on a busy gateway. */
    private static double throughput(RedisQuotaStore store, QuotaStore.QuotaRequest request, int iterations) {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> run(store, request, iterations / THREADS, null, null)));
        }
        for (java.util.concurrent.Future<?> future : done) {
            try {
                future.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        threads.shutdown();
        return (iterations / THREADS) * THREADS / ((System.nanoTime() - start) / 1e9);
    }

    private static long[] ping(RedisScripts redis, int iterations) {
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            redis.send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.PING));
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** calls per command since CONFIG RESETSTAT, without the INFO that reads them. */
    private static Map<String, Long> commandCalls(int port) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : Resp.text(port, "INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                long count = Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
                if (!name.equals("info") && !name.startsWith("config")) {
                    calls.put(name, count);
                }
            }
        }
        return calls;
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1000.0;
        System.out.printf("%-52s mean %6.0f µs   p50 %6.0f µs   p99 %6.0f µs   max %7.0f µs%n", what, mean,
                sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0,
                sorted[sorted.length - 1] / 1000.0);
    }
}

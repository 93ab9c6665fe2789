package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisBackend;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One gateway process in the cross-process tests: a separate JVM that builds its own store against the shared
 * Redis, says "ready", waits for "go" on stdin so all contenders start together, fires its reservations from as many
 * threads as calls, and prints one "result" line.
 *
 * <p>Arguments: mode (requests | tokens | leases | hold | frozen), cluster (true | false), comma-separated Redis URIs,
 * account, calls, seed, clock instant (all processes share one window), lease seconds.
 */
public final class Contender {

    static final LimitRule HUNDRED_REQUESTS = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 100);
    static final LimitRule TEN_THOUSAND_TOKENS = LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 10_000);
    static final LimitRule FIVE_AT_ONCE = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 5);
    static final LimitRule ONE_AT_ONCE = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
    static final String MODEL = "contended-model";

    private Contender() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        boolean cluster = Boolean.parseBoolean(args[1]);
        List<String> uris = Arrays.asList(args[2].split(","));
        String account = args[3];
        int calls = Integer.parseInt(args[4]);
        Random random = new Random(Long.parseLong(args[5]));
        Clock clock = Clock.fixed(Instant.parse(args[6]), ZoneOffset.UTC);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[7]));

        Vertx vertx = Vertx.vertx();
        Redis client = RedisBackend.client(vertx, cluster, uris);
        // frozen: Freeway's own one-second class of timeout, so reserves are given up on while Redis is frozen
        RedisScripts redis = new RedisScripts(client,
                mode.equals("frozen") ? Duration.ofMillis(500) : Duration.ofSeconds(10));
        RedisQuotaStore store = new RedisQuotaStore(redis, new UsageLedger(redis, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, lease, clock);
        // Connect and load the scripts before the start signal, as start-up does before readiness, so the race is
        // between reservations only; three JVMs starting on two cores may need a few tries.
        for (int tries = 1; ; tries++) {
            try {
                redis.warmUp();
                break;
            } catch (QuotaUnavailableException slow) {
                if (tries == 20) {
                    throw slow;
                }
            }
        }
        store.snapshot(account, MODEL, List.of(HUNDRED_REQUESTS), ZoneOffset.UTC);
        store.parked(account, MODEL);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();

        String result;
        switch (mode) {
            case "requests":
                result = requests(store, account, calls);
                break;
            case "tokens":
                result = tokens(store, account, calls, random);
                break;
            case "leases":
                result = leases(store, client, account, calls);
                break;
            case "hold":
                result = hold(store, account);
                break;
            case "frozen":
                result = frozen(store, account, calls);
                break;
            case "clients":
                result = clients(store, account, calls, MANY_REQUESTS);
                break;
            case "clients-tight":
                result = clients(store, account, calls, EIGHTY_REQUESTS);
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
        System.out.println("result " + result);
        System.out.flush();
        if (mode.equals("hold")) {
            Thread.sleep(Long.MAX_VALUE);
        }
        vertx.closeAndAwait();
        System.exit(0);
    }

    static QuotaStore.QuotaRequest request(String account, LimitRule rule, long input, long output) {
        return new QuotaStore.QuotaRequest(account, MODEL, List.of(rule), ZoneOffset.UTC, input, output);
    }

    private static String requests(RedisQuotaStore store, String account, int calls) throws Exception {
        List<Reservation> results = all(calls, i -> store.reserve(request(account, HUNDRED_REQUESTS, 10, 10), CreditPrice.NONE));
        return "admitted=" + results.stream().filter(Reservation::admitted).count();
    }

    private static String tokens(RedisQuotaStore store, String account, int calls, Random random) throws Exception {
        long[][] estimates = new long[calls][];
        for (int i = 0; i < calls; i++) {
            estimates[i] = new long[]{1 + random.nextInt(300), 1 + random.nextInt(100)};
        }
        List<Reservation> results = all(calls, i -> store.reserve(request(account, TEN_THOUSAND_TOKENS, estimates[i][0], estimates[i][1]), CreditPrice.NONE));
        long admitted = 0;
        long admittedTokens = 0;
        long smallestDenied = Long.MAX_VALUE;
        for (int i = 0; i < calls; i++) {
            long amount = estimates[i][0] + estimates[i][1];
            if (results.get(i).admitted()) {
                admitted++;
                admittedTokens += amount;
            } else {
                smallestDenied = Math.min(smallestDenied, amount);
            }
        }
        return "admitted=" + admitted + " tokens=" + admittedTokens + " smallestDenied=" + smallestDenied;
    }

    /** Holds each admitted lease briefly and counts holders in Redis, to see the most ever held at once. */
    private static String leases(RedisQuotaStore store, Redis client, String account, int calls) throws Exception {
        String holders = QuotaKeys.account(account) + "test-holders";
        AtomicLong most = new AtomicLong();
        // One shared connection, as RedisScripts uses: the client's pool, checked out by many threads at once on a
        // cluster, can stall every call (see RedisScripts), and an unbounded wait here once hung a contender.
        RedisConnection counter = client.connect().await().atMost(Duration.ofSeconds(10));
        List<Reservation> results = all(calls, i -> {
            Reservation reservation = store.reserve(request(account, FIVE_AT_ONCE, 10, 10), CreditPrice.NONE);
            if (reservation.admitted()) {
                long now = counter.send(Request.cmd(Command.INCR).arg(holders)).await()
                        .atMost(Duration.ofSeconds(10)).toLong();
                most.accumulateAndGet(now, Math::max);
                sleep(5);
                counter.send(Request.cmd(Command.DECR).arg(holders)).await().atMost(Duration.ofSeconds(10));
                reservation.admission().served(Spent.reported(10, 10), List.of()).join();
            }
            return reservation;
        });
        return "admitted=" + results.stream().filter(Reservation::admitted).count() + " most=" + most.get();
    }

    static final LimitRule MANY_REQUESTS = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 1_000_000);
    static final LimitRule MANY_AT_ONCE = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1000);

    /**
     * Reserves and settles in a loop on {@code calls} threads for six seconds, while the test freezes Redis for a
     * while: counts the reservations Redis answered (each then settled) and those given up on; then waits until every
     * give-up and end has reached Redis.
     */
    private static String frozen(RedisQuotaStore store, String account, int calls) throws Exception {
        AtomicLong admitted = new AtomicLong();
        AtomicLong givenUp = new AtomicLong();
        long end = System.currentTimeMillis() + 6000;
        QuotaStore.QuotaRequest request = new QuotaStore.QuotaRequest(account, MODEL, List.of(MANY_REQUESTS,
                MANY_AT_ONCE), ZoneOffset.UTC, 10, 10);
        all(calls, i -> {
            while (System.currentTimeMillis() < end) {
                try {
                    Reservation reservation = store.reserve(request, CreditPrice.NONE);
                    if (reservation.admitted()) {
                        admitted.incrementAndGet();
                        reservation.admission().served(Spent.reported(10, 10), List.of()).join();
                    }
                } catch (QuotaUnavailableException e) {
                    givenUp.incrementAndGet();
                }
                sleep(20);
            }
            return null;
        });
        long drained = System.currentTimeMillis() + 15_000;
        while (store.pendingEnds() > 0 && System.currentTimeMillis() < drained) {
            sleep(50);
        }
        return "admitted=" + admitted.get() + " givenUp=" + givenUp.get() + " pending=" + store.pendingEnds();
    }

    static final LimitRule FIFTY_A_DAY = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 50);
    static final LimitRule EIGHTY_REQUESTS = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 80);

    /**
     * Two clients, each with 50 requests a day, share one account of {@code pool}: every call reserves its client's
     * rule first, then the account's, releasing the client's when the account has no room, as the gateway does.
     */
    private static String clients(RedisQuotaStore store, String account, int calls, LimitRule pool) throws Exception {
        AtomicLong alice = new AtomicLong();
        AtomicLong bob = new AtomicLong();
        all(calls, i -> {
            String client = i % 2 == 0 ? "alice" : "bob";
            Reservation own = store.reserve(new QuotaStore.QuotaRequest("client:" + account + "-" + client, "all",
                    List.of(FIFTY_A_DAY), ZoneOffset.UTC, 10, 10), CreditPrice.NONE);
            if (!own.admitted()) {
                return own;
            }
            Reservation shared = store.reserve(request(account, pool, 10, 10), CreditPrice.NONE);
            if (!shared.admitted()) {
                own.admission().released().join();
                return shared;
            }
            shared.admission().served(Spent.reported(10, 10), List.of()).join();
            own.admission().served(Spent.reported(10, 10), List.of()).join();
            (client.equals("alice") ? alice : bob).incrementAndGet();
            return shared;
        });
        return "alice=" + alice.get() + " bob=" + bob.get();
    }

    private static String hold(RedisQuotaStore store, String account) {
        return "admitted=" + store.reserve(request(account, ONE_AT_ONCE, 10, 10), CreditPrice.NONE).admitted();
    }

    interface Call {
        Reservation run(int index) throws Exception;
    }

    /** Runs every call on its own thread, all released at once. */
    private static List<Reservation> all(int calls, Call call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reservation>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int index = i;
            futures.add(threads.submit(() -> {
                start.await();
                return call.run(index);
            }));
        }
        start.countDown();
        List<Reservation> results = new ArrayList<>();
        for (Future<Reservation> future : futures) {
            results.add(future.get());
        }
        threads.shutdown();
        return results;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

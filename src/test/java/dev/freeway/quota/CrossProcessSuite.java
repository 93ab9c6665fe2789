package dev.freeway.quota;

import dev.freeway.support.RedisBackend;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 1 across processes: three separate JVMs, 200 concurrent reservations each, against one Redis. Run
 * against one server and against a three-master cluster by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CrossProcessSuite {

    private static final int PROCESSES = 3;
    private static final int CALLS = 200;

    private RedisBackend redis;
    private Vertx vertx;
    private RedisQuotaStore store;
    private final Instant now = Instant.now();

    abstract RedisBackend startRedis();

    @BeforeAll
    void start() {
        redis = startRedis();
        vertx = Vertx.vertx();
        RedisScripts scripts = new RedisScripts(redis.client(vertx), Duration.ofSeconds(5));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(300), clock);
    }

    @AfterAll
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    private static String account() {
        return "race:" + UUID.randomUUID();
    }

    private long used(String account, dev.freeway.catalog.LimitRule rule) {
        return store.snapshot(account, Contender.MODEL, List.of(rule), ZoneOffset.UTC).get(0).used();
    }

    @Test
    void admits_exactly_100_of_600_requests_from_three_processes() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "requests", redis, account, CALLS, now, 300)) {
            List<Map<String, Long>> results = contenders.race();
            assertEquals(100, Contenders.sum(results, "admitted"), "admitted across processes: " + results);
        }
        assertEquals(100, used(account, Contender.HUNDRED_REQUESTS));
    }

    @Test
    void admits_mixed_token_estimates_up_to_the_limit_and_refuses_only_what_no_longer_fits() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "tokens", redis, account, CALLS, now, 300)) {
            List<Map<String, Long>> results = contenders.race();
            long admittedTokens = Contenders.sum(results, "tokens");
            long smallestDenied = results.stream().mapToLong(r -> r.get("smallestDenied")).min().orElseThrow();
            long limit = Contender.TEN_THOUSAND_TOKENS.limit();
            assertTrue(admittedTokens <= limit, "admitted " + admittedTokens + " tokens against " + limit);
            assertEquals(admittedTokens, used(account, Contender.TEN_THOUSAND_TOKENS), "counter equals what was admitted");
            // Usage only grew during the race, so every refused call was larger than what was left at the end.
            assertTrue(smallestDenied > limit - admittedTokens,
                    "refused a call of " + smallestDenied + " tokens with " + (limit - admittedTokens) + " left");
        }
    }

    @Test
    void concurrency_leases_never_exceed_their_cap_across_processes() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "leases", redis, account, CALLS, now, 300)) {
            List<Map<String, Long>> results = contenders.race();
            long most = results.stream().mapToLong(r -> r.get("most")).max().orElseThrow();
            assertTrue(most >= 1 && most <= 5, "most leases held at once: " + most);
            assertTrue(Contenders.sum(results, "admitted") < PROCESSES * CALLS, "some calls had to wait for a slot");
        }
        assertEquals(0, used(account, Contender.FIVE_AT_ONCE), "every settled lease is gone");
    }

    @Test
    void three_processes_counting_through_a_frozen_redis_count_exactly_what_redis_answered() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "frozen", redis, account, 10, now, 300)) {
            Freeze freeze = new Freeze(redis, 1500, 2500);
            List<Map<String, Long>> results = contenders.race();
            freeze.join();
            long admitted = Contenders.sum(results, "admitted");
            assertTrue(Contenders.sum(results, "givenUp") > 0, "reserves were given up on while frozen: " + results);
            assertEquals(0, Contenders.sum(results, "pending"), "every give-up and end reached Redis: " + results);
            assertEquals(admitted, used(account, Contender.MANY_REQUESTS),
                    "Redis counts exactly the reservations it answered: " + results);
            assertEquals(0, used(account, Contender.MANY_AT_ONCE), "no lease left behind");
        }
    }

    @Test
    void two_clients_from_three_processes_get_exactly_their_own_limit_when_the_pool_has_room() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "clients", redis, account, CALLS, now, 300)) {
            List<Map<String, Long>> results = contenders.race();
            assertEquals(50, Contenders.sum(results, "alice"), "alice's 50 a day: " + results);
            assertEquals(50, Contenders.sum(results, "bob"), "bob's 50 a day: " + results);
        }
        assertEquals(100, used(account, Contender.MANY_REQUESTS));
        assertEquals(50, usedBy("client:" + account + "-alice"));
        assertEquals(50, usedBy("client:" + account + "-bob"));
    }

    @Test
    void two_clients_from_three_processes_never_take_the_pool_past_its_limit() throws Exception {
        String account = account();
        try (Contenders contenders = Contenders.start(PROCESSES, "clients-tight", redis, account, CALLS, now, 300)) {
            List<Map<String, Long>> results = contenders.race();
            long alice = Contenders.sum(results, "alice");
            long bob = Contenders.sum(results, "bob");
            assertEquals(80, alice + bob, "the pool's 80: " + results);
            assertTrue(alice <= 50 && bob <= 50, "neither past its own 50: " + results);
            assertEquals(alice, usedBy("client:" + account + "-alice"), "a client's count is what it was served");
            assertEquals(bob, usedBy("client:" + account + "-bob"));
        }
        assertEquals(80, used(account, Contender.EIGHTY_REQUESTS));
    }

    private long usedBy(String client) {
        return store.snapshot(client, "all", List.of(Contender.FIFTY_A_DAY), ZoneOffset.UTC).get(0).used();
    }

    /** Freezes Redis after a delay, for a while, on its own thread. */
    private static final class Freeze {
        private final java.util.concurrent.CompletableFuture<Void> done;

        Freeze(RedisBackend redis, long after, long forMillis) {
            done = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(after);
                    redis.pause();
                    Thread.sleep(forMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    redis.resume();
                }
            });
        }

        void join() {
            done.join();
        }
    }

    @Test
    void a_killed_process_lease_frees_itself_when_the_lease_ends() throws Exception {
        String account = account();
        long leaseSeconds = 2;
        try (Contenders holder = Contenders.start(1, "hold", redis, account, 1, now, leaseSeconds)) {
            assertEquals(1, holder.race().get(0).get("admitted"));
            holder.process(0).destroyForcibly().waitFor();
        }
        QuotaStore.QuotaRequest request = Contender.request(account, Contender.ONE_AT_ONCE, 10, 10);
        Reservation blocked = store.reserve(request, CreditPrice.NONE);
        assertFalse(blocked.admitted(), "the dead process still holds the only slot");
        assertTrue(blocked.retryAt() != null && blocked.retryAt().isBefore(Instant.now().plusSeconds(leaseSeconds + 1)),
                "denial says when the lease ends: " + blocked.retryAt());
        long deadline = System.currentTimeMillis() + (leaseSeconds + 3) * 1000;
        Reservation freed = blocked;
        while (!freed.admitted() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            freed = store.reserve(request, CreditPrice.NONE);
        }
        assertTrue(freed.admitted(), "the slot freed itself after the lease");
    }
}

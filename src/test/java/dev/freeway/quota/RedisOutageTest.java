package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis stopped, started again, or hung: each failure mode does what it says, and nobody waits past the timeout. */
class RedisOutageTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Scheduling slack on a busy two-core machine; a call stuck until a TCP timeout would take seconds. */
    private static final long SLACK_MS = 400;
    /**
     * The longest a call may wait: the timeout, or, while this process itself stalls (a loaded machine), up to the
     * store's patience in timeouts; never a TCP timeout's seconds.
     */
    private static final long LONGEST_MS = TIMEOUT.toMillis() * RedisWait.PATIENCE + SLACK_MS;
    private static final LimitRule RULE = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 100);

    private RedisServer redis;
    private Vertx vertx;
    private RedisScripts scripts;
    private final String account = "outage:" + UUID.randomUUID();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
        scripts = new RedisScripts(redis.client(vertx), TIMEOUT);
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    private RedisQuotaStore store(RedisFailureMode mode) {
        Clock clock = Clock.systemUTC();
        return new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock), mode,
                Duration.ofSeconds(300), clock);
    }

    private QuotaStore.QuotaRequest request() {
        return new QuotaStore.QuotaRequest(account, "m", List.of(RULE), ZoneOffset.UTC, 10, 10);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void fail_closed_refuses_at_once_with_a_clear_error_and_recovers_when_redis_is_back() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_CLOSED);
        Reservation before = store.reserve(request(), CreditPrice.NONE);
        assertTrue(before.admitted());
        redis.stopServer();

        long start = System.nanoTime();
        QuotaUnavailableException error = assertThrows(QuotaUnavailableException.class, () -> store.reserve(request(), CreditPrice.NONE));
        assertTrue(millisSince(start) < LONGEST_MS, "waited " + millisSince(start) + " ms");
        assertTrue(error.getMessage().startsWith("quota store unavailable: Redis reserve failed"), error.getMessage());
        assertTrue(store.degraded());
        before.admission().served(Spent.reported(5, 5), List.of()).join();
        store.park(account, "m", new QuotaStore.Parking(Instant.now().plusSeconds(60), "exhausted", ParkingKind.EXHAUSTED));

        redis.startAgain();
        Reservation after = store.reserve(request(), CreditPrice.NONE); // the very first call once it is back
        assertTrue(after.admitted());
        assertFalse(after.degraded());
        assertFalse(store.degraded(), "status no longer says degraded");
    }

    @Test
    void a_keep_alive_while_redis_is_down_fails_nothing_and_the_next_one_after_it_is_back_keeps_the_lease()
            throws Exception {
        Clock clock = Clock.systemUTC();
        RedisQuotaStore store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofMillis(1600), clock);
        LimitRule one = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
        QuotaStore.QuotaRequest call = new QuotaStore.QuotaRequest(account, "m", List.of(one), ZoneOffset.UTC, 1, 1);
        Reservation streaming = store.reserve(call, CreditPrice.NONE);
        assertTrue(streaming.admitted());
        redis.pause();
        Thread.sleep(900); // past half a lease
        long start = System.nanoTime();
        streaming.admission().keepAlive(); // the stream relays on: a keep-alive that cannot land only logs
        assertTrue(millisSince(start) < LONGEST_MS, "waited " + millisSince(start) + " ms");
        redis.resume();
        Thread.sleep(900); // half a lease since the one that failed
        streaming.admission().keepAlive();
        Thread.sleep(900); // 2.7 s since the reserve, past its first lease and the failed one's
        assertFalse(store.reserve(call, CreditPrice.NONE).admitted(), "the lease was kept alive once Redis was back");
        streaming.admission().served(Spent.reported(1, 1), List.of()).join();
        assertTrue(store.reserve(call, CreditPrice.NONE).admitted());
    }

    @Test
    void a_keep_alive_that_did_not_land_is_tried_again_before_its_lease_runs_out() throws Exception {
        Clock clock = Clock.systemUTC();
        RedisQuotaStore store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(4), clock);
        LimitRule one = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
        QuotaStore.QuotaRequest call = new QuotaStore.QuotaRequest(account, "m", List.of(one), ZoneOffset.UTC, 1, 1);
        long start = System.nanoTime();
        Reservation streaming = store.reserve(call, CreditPrice.NONE);
        assertTrue(streaming.admitted());
        sleepUntil(start, 2100); // past half the 4 s lease
        redis.pause();
        streaming.admission().keepAlive(); // fails within the timeout (patience at worst: by 3.0 s)
        redis.resume();
        sleepUntil(start, 3400); // a quarter lease after the failed one, under a half lease
        streaming.admission().keepAlive();
        sleepUntil(start, 4600); // past the lease the reserve gave
        assertFalse(store.reserve(call, CreditPrice.NONE).admitted(), "the retried keep-alive holds the slot");
        streaming.admission().served(Spent.reported(1, 1), List.of()).join();
    }

    private static void sleepUntil(long start, long millis) throws InterruptedException {
        long left = millis - millisSince(start);
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @Test
    void fail_open_serves_without_counting_and_says_degraded() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_OPEN);
        redis.stopServer();

        long start = System.nanoTime();
        Reservation blind = store.reserve(request(), CreditPrice.NONE);
        assertTrue(millisSince(start) < LONGEST_MS, "waited " + millisSince(start) + " ms");
        assertTrue(blind.admitted());
        assertTrue(blind.degraded());
        assertTrue(store.degraded());
        assertTrue(store.parked(account, "m").isEmpty());
        blind.admission().served(Spent.reported(5, 5), List.of()).join();

        redis.startAgain();
        Reservation counted = store.reserve(request(), CreditPrice.NONE);
        assertTrue(counted.admitted());
        assertFalse(counted.degraded());
        counted.admission().served(Spent.reported(5, 5), List.of()).join();
        assertEquals(1, store.snapshot(account, "m", List.of(RULE), ZoneOffset.UTC).get(0).used(),
                "only the call made while Redis was up was counted");
        assertFalse(store.degraded());
    }

    @Test
    void a_hung_redis_is_given_up_on_within_the_timeout() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_CLOSED);
        assertTrue(store.reserve(request(), CreditPrice.NONE).admitted());
        Resp.command(redis.port(), "CLIENT", "PAUSE", "1500", "ALL");

        long start = System.nanoTime();
        assertThrows(QuotaUnavailableException.class, () -> store.reserve(request(), CreditPrice.NONE));
        assertTrue(millisSince(start) < LONGEST_MS, "waited " + millisSince(start) + " ms");

        Thread.sleep(1600);
        assertTrue(store.reserve(request(), CreditPrice.NONE).admitted());
    }
}

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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 7: a reservation Freeway gave up on changes nothing, whenever its script finally runs; a script given a
 * bad argument writes nothing at all. Against a real redis-server, frozen with SIGSTOP as a stalled host would be.
 */
class GivenUpReservationTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final LimitRule PER_DAY = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1000);
    private static final LimitRule ONE_AT_A_TIME = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 100);

    private RedisServer redis;
    private Vertx vertx;
    private RedisScripts scripts;
    private RedisQuotaStore store;
    private final String account = "given-up:" + UUID.randomUUID();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
        scripts = new RedisScripts(redis.client(vertx), TIMEOUT);
        warmUp(); // as start-up does before readiness: connection open, scripts loaded
        Clock clock = Clock.systemUTC();
        store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(300), clock);
    }

    @AfterEach
    void stop() {
        redis.resume();
        store.close();
        vertx.closeAndAwait();
        redis.close();
    }

    private QuotaStore.QuotaRequest request() {
        return new QuotaStore.QuotaRequest(account, "m", List.of(PER_DAY, ONE_AT_A_TIME), ZoneOffset.UTC, 10, 10);
    }

    private long requestsCounted() {
        return store.snapshot(account, "m", List.of(PER_DAY), ZoneOffset.UTC).get(0).used();
    }

    private long leasesHeld() {
        return store.snapshot(account, "m", List.of(ONE_AT_A_TIME), ZoneOffset.UTC).get(0).used();
    }

    @Test
    void reserves_given_up_on_change_nothing_when_redis_thaws_before_their_deadline() throws Exception {
        // the late scripts run and count: the give-ups sent after them undo every one
        frozenWhileFortyReservesAreGivenUp(0);
    }

    @Test
    void reserves_given_up_on_change_nothing_when_redis_thaws_after_their_deadline() throws Exception {
        // the late scripts find their deadline passed and write nothing
        frozenWhileFortyReservesAreGivenUp(1500);
    }

    private void frozenWhileFortyReservesAreGivenUp(long thenFrozenFor) throws Exception {
        assertTrue(store.reserve(request(), CreditPrice.NONE).admitted());
        redis.pause();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(clients.submit(() -> assertThrows(QuotaUnavailableException.class,
                    () -> store.reserve(request(), CreditPrice.NONE))));
        }
        for (Future<?> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        clients.shutdown();
        Thread.sleep(thenFrozenFor);
        redis.resume();

        awaitNoPendingEnds();
        assertEquals(1, requestsCounted(), "only the reservation Freeway got an answer for is counted");
        assertEquals(1, leasesHeld(), "no lease left by a reservation Freeway gave up on");
        assertTrue(store.reserve(request(), CreditPrice.NONE).admitted(), "the account has room again");
    }

    @Test
    void a_give_up_undoes_what_the_late_reserve_counted_even_when_it_lowered_the_output_grant() throws Exception {
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 1000);
        // another call holds 900 of the day's 1000 tokens (a day: a minute could end mid-test)
        assertTrue(store.reserve(new QuotaStore.QuotaRequest(account, "m", List.of(tokens), ZoneOffset.UTC, 10, 890,
                890, 1), CreditPrice.NONE).admitted());
        redis.pause();
        // wants 500 output tokens, takes 1 at least: the reserve, once it runs, grants 90 and counts 100, not 510
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<?> call = client.submit(() -> assertThrows(QuotaUnavailableException.class,
                () -> store.reserve(new QuotaStore.QuotaRequest(account, "m", List.of(tokens), ZoneOffset.UTC, 10,
                        500, 1, 1), CreditPrice.NONE)));
        call.get(10, TimeUnit.SECONDS);
        client.shutdown();
        redis.resume();

        awaitNoPendingEnds();
        assertEquals(900, store.snapshot(account, "m", List.of(tokens), ZoneOffset.UTC).get(0).used(),
                "the give-up took back the 100 the late reserve counted, not the 510 Freeway had asked for");
    }

    @Test
    void a_give_up_that_lands_first_leaves_a_tombstone_the_late_reserve_obeys() {
        Ticket ticket = ticket(UUID.randomUUID().toString().replace("-", ""), System.currentTimeMillis() + 60_000);
        giveUp(ticket);
        assertEquals(-2, reserveScript(ticket).get(0).toInteger(), "the reserve sees the tombstone");
        assertEquals(0, requestsCounted());
        assertEquals(0, leasesHeld());
    }

    @Test
    void a_give_up_that_lands_after_the_reserve_undoes_it() {
        Ticket ticket = ticket(UUID.randomUUID().toString().replace("-", ""), System.currentTimeMillis() + 60_000);
        assertEquals(1, reserveScript(ticket).get(0).toInteger());
        assertEquals(1, requestsCounted());
        giveUp(ticket);
        giveUp(ticket); // sent again after a timeout: changes nothing more
        assertEquals(0, requestsCounted());
        assertEquals(0, leasesHeld());
    }

    @Test
    void a_reserve_that_runs_after_its_deadline_writes_nothing() {
        Ticket late = ticket("late" + UUID.randomUUID().toString().replace("-", ""), System.currentTimeMillis() - 1);
        assertEquals(-1, reserveScript(late).get(0).toInteger());
        assertKeys(0);
    }

    @Test
    void an_argument_out_of_range_fails_the_script_before_its_first_write() {
        // the lease rule comes first: before, its ZADD had happened when the counter's INCRBY failed half-way
        List<String> keys = List.of(QuotaKeys.parking(account, null), QuotaKeys.parking(account, "m"),
                QuotaKeys.marker(account, "x1"), QuotaKeys.rule(account, "m", ONE_AT_A_TIME),
                QuotaKeys.rule(account, "m", PER_DAY) + "@1");
        // 1e3, 0x10 and " 7" are whole numbers to Lua, but not to INCRBY: they too must stop the script at once
        for (String amount : List.of("9223372036854775807", "-5", "1e400", "12.5", "ten", "1e3", "0x10", " 7")) {
            List<String> args = List.of("2", "x1", "0", "60000", "1", "1", "1",
                    "l", "1", "100", "360000", "300000", "0",
                    "c", amount, "9007199254740991", String.valueOf(System.currentTimeMillis() + 60_000), "0", "0");
            assertThrows(QuotaUnavailableException.class, () -> scripts.eval(LuaScript.RESERVE, keys, args),
                    "amount " + amount);
            assertKeys(0);
        }
    }

    @Test
    void an_estimate_that_would_overflow_is_refused_for_good_without_touching_redis() {
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000);
        Reservation denied = store.reserve(new QuotaStore.QuotaRequest(account, "m", List.of(tokens, ONE_AT_A_TIME),
                ZoneOffset.UTC, 50, Long.MAX_VALUE, Long.MAX_VALUE, 128), CreditPrice.NONE);
        assertFalse(denied.admitted());
        assertEquals(Refusal.NEVER_FITS, denied.denial().refusal());
        assertKeys(0);
    }

    @Test
    void ending_a_reservation_twice_corrects_it_once() {
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 100_000);
        QuotaStore.QuotaRequest ask = new QuotaStore.QuotaRequest(account, "m", List.of(tokens), ZoneOffset.UTC,
                100, 900);
        Reservation reservation = store.reserve(ask, CreditPrice.NONE);
        Ticket ticket = new Ticket(account, "m", ZoneOffset.UTC, reservation.id(), List.of(CountedRule.of(tokens,
                account, "m", ZoneOffset.UTC, java.time.Instant.now(), 1000, Duration.ofMinutes(6),
                Duration.ofMinutes(5))), CreditPrice.NONE, 0);
        Settlement end = new Settlement(account, ticket.id(), Settlement.Mode.END)
                .rule(ticket.rules().get(0), 1000, 150, -1);
        scripts.eval(LuaScript.SETTLE, end.keys(), end.args());
        scripts.eval(LuaScript.SETTLE, end.keys(), end.args()); // as PendingEnds would after a lost answer
        assertEquals(150, store.snapshot(account, "m", List.of(tokens), ZoneOffset.UTC).get(0).used());
    }

    private Ticket ticket(String id, long deadline) {
        java.time.Instant now = java.time.Instant.now();
        List<CountedRule> rules = List.of(
                CountedRule.of(PER_DAY, account, "m", ZoneOffset.UTC, now, 1, Duration.ofMinutes(6), Duration.ofMinutes(5)),
                CountedRule.of(ONE_AT_A_TIME, account, "m", ZoneOffset.UTC, now, 1, Duration.ofMinutes(6),
                        Duration.ofMinutes(5)));
        return new Ticket(account, "m", ZoneOffset.UTC, id, rules, CreditPrice.NONE, deadline);
    }

    private io.vertx.mutiny.redis.client.Response reserveScript(Ticket ticket) {
        List<String> keys = new ArrayList<>(List.of(QuotaKeys.parking(account, null), QuotaKeys.parking(account, "m"),
                ticket.marker()));
        List<String> args = new ArrayList<>(List.of("2", ticket.id(), Long.toString(ticket.deadline()), "360000",
                "1", "1", "1"));
        for (CountedRule rule : ticket.rules()) {
            keys.add(rule.key());
            args.addAll(List.of(rule.kind(), "1", Long.toString(rule.rule().limit()), Long.toString(rule.expiry()),
                    Long.toString(rule.span()), "0"));
        }
        return scripts.eval(LuaScript.RESERVE, keys, args);
    }

    private void giveUp(Ticket ticket) {
        Settlement cancel = new Settlement(account, ticket.id(), Settlement.Mode.CANCEL)
                .tombstoneUntil(RedisTime.tombstoneUntil(ticket.deadline()));
        ticket.rules().forEach(rule -> cancel.rule(rule, rule.amount(), 0, -1));
        scripts.eval(LuaScript.SETTLE, cancel.keys(), cancel.args());
    }

    private void warmUp() {
        for (int tries = 0; ; tries++) {
            try {
                scripts.warmUp();
                return;
            } catch (QuotaUnavailableException slowMachine) {
                if (tries > 20) {
                    throw slowMachine;
                }
            }
        }
    }

    private void awaitNoPendingEnds() throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (store.pendingEnds() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(0, store.pendingEnds(), "every give-up reached Redis once it thawed");
    }

    private void assertKeys(int expected) {
        List<?> keys = (List<?>) Resp.command(redis.port(), "KEYS", "fw:*");
        assertEquals(expected, keys.size(), "keys: " + keys);
    }
}

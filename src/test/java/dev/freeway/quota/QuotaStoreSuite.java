package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;
import dev.freeway.support.MutableClock;
import dev.freeway.support.RedisBackend;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the store promises, against real Redis: run against one server and against a three-master cluster by the
 * subclasses. The clock is set near real time (Redis expires keys in real time) and moved by hand across windows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuotaStoreSuite {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
    static final String MODEL = "gpt-oss-120b";

    private RedisBackend redis;
    private Vertx vertx;
    private RedisScripts scripts;
    MutableClock clock;
    RedisQuotaStore store;
    UsageLedger ledger;
    String account;

    abstract RedisBackend startRedis();

    @BeforeAll
    void start() {
        redis = startRedis();
        vertx = Vertx.vertx();
        scripts = new RedisScripts(redis.client(vertx), Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    @BeforeEach
    void freshAccount() {
        clock = new MutableClock(Instant.now());
        ledger = new UsageLedger(scripts, Duration.ofDays(35), clock);
        store = storeWithLease(Duration.ofSeconds(300));
        account = "test:" + UUID.randomUUID();
    }

    RedisQuotaStore storeWithLease(Duration lease) {
        return new RedisQuotaStore(scripts, ledger, RedisFailureMode.FAIL_CLOSED, lease, clock);
    }

    QuotaStore.QuotaRequest request(List<LimitRule> rules, ZoneId zone, long input, long output) {
        return new QuotaStore.QuotaRequest(account, MODEL, rules, zone, input, output);
    }

    long used(LimitRule rule, ZoneId zone) {
        return store.snapshot(account, MODEL, List.of(rule), zone).get(0).used();
    }

    @Test
    void admits_up_to_the_limit_then_names_the_rule_and_the_end_of_its_window() {
        LimitRule rule = LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.MODEL, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(store.reserve(request(List.of(rule), UTC, 10, 10), CreditPrice.NONE).admitted());
        }
        Reservation denied = store.reserve(request(List.of(rule), UTC, 10, 10), CreditPrice.NONE);
        assertFalse(denied.admitted());
        assertEquals("requests:minute:model", denied.deniedBy());
        assertEquals(clock.instant().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60), denied.retryAt());
    }

    @Test
    void a_denial_counts_nothing_on_any_other_rule() {
        LimitRule requests = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 10);
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 1000);
        List<LimitRule> rules = List.of(requests, tokens);
        assertTrue(store.reserve(request(rules, UTC, 700, 200), CreditPrice.NONE).admitted());
        Reservation denied = store.reserve(request(rules, UTC, 50, 100), CreditPrice.NONE);
        assertEquals("tokens:minute:model", denied.deniedBy());
        assertEquals(1, used(requests, UTC), "the denied call left the request rule untouched");
        assertEquals(900, used(tokens, UTC));
    }

    @Test
    void a_call_larger_than_the_whole_limit_is_refused_for_good() {
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000);
        Reservation denied = store.reserve(request(List.of(tokens), UTC, 500, 16_000), CreditPrice.NONE);
        assertFalse(denied.admitted());
        assertNull(denied.retryAt(), "no window will ever fit it");
    }

    @Test
    void a_new_pacific_day_starts_from_zero_at_midnight_los_angeles() {
        LimitRule daily = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 2);
        Instant midnight = Windows.span(Window.DAY, PACIFIC, clock.instant()).end();
        clock.set(midnight.minusSeconds(1));
        store.reserve(request(List.of(daily), PACIFIC, 1, 1), CreditPrice.NONE);
        store.reserve(request(List.of(daily), PACIFIC, 1, 1), CreditPrice.NONE);
        Reservation denied = store.reserve(request(List.of(daily), PACIFIC, 1, 1), CreditPrice.NONE);
        assertEquals(midnight, denied.retryAt());
        clock.set(midnight);
        assertTrue(store.reserve(request(List.of(daily), PACIFIC, 1, 1), CreditPrice.NONE).admitted());
    }

    @Test
    void account_rules_are_shared_by_models_and_model_rules_are_not() {
        LimitRule perAccount = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 3);
        LimitRule perModel = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 2);
        List<LimitRule> rules = List.of(perAccount, perModel);
        QuotaStore.QuotaRequest other = new QuotaStore.QuotaRequest(account, "other-model", rules, UTC, 1, 1);
        assertTrue(store.reserve(request(rules, UTC, 1, 1), CreditPrice.NONE).admitted());
        assertTrue(store.reserve(request(rules, UTC, 1, 1), CreditPrice.NONE).admitted());
        assertEquals("requests:day:model", store.reserve(request(rules, UTC, 1, 1), CreditPrice.NONE).deniedBy());
        assertTrue(store.reserve(other, CreditPrice.NONE).admitted(), "another model has its own per-model count");
        assertEquals("requests:day:account", store.reserve(other, CreditPrice.NONE).deniedBy(), "but shares the account's");
    }

    @Test
    void a_spent_grant_never_frees_up_and_an_expired_grant_admits_nothing() {
        LocalDate lastDay = LocalDate.now(UTC).plusDays(30);
        LimitRule grant = new LimitRule(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1000, null, lastDay);
        assertTrue(store.reserve(request(List.of(grant), UTC, 600, 300), CreditPrice.NONE).admitted());
        Reservation spent = store.reserve(request(List.of(grant), UTC, 100, 100), CreditPrice.NONE);
        assertFalse(spent.admitted());
        assertNull(spent.retryAt());
        LimitRule expired = new LimitRule(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1000, null, LocalDate.now(UTC).minusDays(1));
        assertFalse(store.reserve(request(List.of(expired), UTC, 1, 1), CreditPrice.NONE).admitted());
    }

    @Test
    void a_rolling_window_frees_room_as_its_oldest_calls_slide_out() throws InterruptedException {
        LimitRule rolling = new LimitRule(Metric.REQUESTS, Window.ROLLING, Scope.ACCOUNT, 2, Duration.ofSeconds(1), null);
        assertTrue(store.reserve(request(List.of(rolling), UTC, 1, 1), CreditPrice.NONE).admitted());
        assertTrue(store.reserve(request(List.of(rolling), UTC, 1, 1), CreditPrice.NONE).admitted());
        Reservation denied = store.reserve(request(List.of(rolling), UTC, 1, 1), CreditPrice.NONE);
        assertFalse(denied.admitted());
        long wait = Duration.between(Instant.now(), denied.retryAt()).toMillis();
        assertTrue(wait > 0 && wait <= 1000, "frees within the window length, in " + wait + " ms");
        Thread.sleep(wait + 50);
        assertTrue(store.reserve(request(List.of(rolling), UTC, 1, 1), CreditPrice.NONE).admitted());
    }

    @Test
    void a_concurrency_slot_frees_on_settle_and_on_release() {
        LimitRule two = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 2);
        Reservation first = store.reserve(request(List.of(two), UTC, 1, 1), CreditPrice.NONE);
        Reservation second = store.reserve(request(List.of(two), UTC, 1, 1), CreditPrice.NONE);
        assertTrue(first.admitted() && second.admitted());
        Reservation full = store.reserve(request(List.of(two), UTC, 1, 1), CreditPrice.NONE);
        assertFalse(full.admitted());
        java.time.Instant retryAt = full.denial().retryAt();
        assertTrue(retryAt != null && retryAt.isBefore(java.time.Instant.now().plusSeconds(3)),
                "a slot is worth asking for again in seconds, not at the lease's 5-minute expiry: " + retryAt);
        first.admission().served(Spent.reported(1, 1), List.of()).join();
        Reservation third = store.reserve(request(List.of(two), UTC, 1, 1), CreditPrice.NONE);
        assertTrue(third.admitted());
        second.admission().released().join();
        assertTrue(store.reserve(request(List.of(two), UTC, 1, 1), CreditPrice.NONE).admitted());
        assertEquals(2, used(two, UTC));
    }

    @Test
    void an_unsettled_lease_expires_by_itself() throws InterruptedException {
        RedisQuotaStore shortLeases = storeWithLease(Duration.ofMillis(500));
        LimitRule one = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
        assertTrue(shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE).admitted());
        assertFalse(shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE).admitted());
        Thread.sleep(600);
        assertTrue(shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE).admitted());
    }

    @Test
    void a_call_kept_alive_past_its_lease_keeps_its_slot_until_it_ends() throws InterruptedException {
        RedisQuotaStore shortLeases = storeWithLease(Duration.ofMillis(1000));
        LimitRule one = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
        Reservation streaming = shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE);
        assertTrue(streaming.admitted());
        streaming.admission().keepAlive(); // too soon: nothing sent
        Thread.sleep(600);
        streaming.admission().keepAlive(); // past half a lease: lives another lease from now
        Thread.sleep(600); // 1.2 s after the reserve, past its first lease
        assertFalse(shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE).admitted(),
                "the running call still holds its slot");
        streaming.admission().served(Spent.reported(1, 1), List.of()).join();
        assertTrue(shortLeases.reserve(request(List.of(one), UTC, 1, 1), CreditPrice.NONE).admitted(),
                "its end frees it");
    }

    @Test
    void after_many_calls_counters_and_ledger_equal_the_actual_usage() {
        LimitRule requests = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1000);
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 10_000_000);
        LimitRule input = LimitRule.of(Metric.INPUT_TOKENS, Window.MONTH, Scope.ACCOUNT, 10_000_000);
        LimitRule output = LimitRule.of(Metric.OUTPUT_TOKENS, Window.HOUR, Scope.MODEL, 10_000_000);
        LimitRule rolling = new LimitRule(Metric.TOKENS, Window.ROLLING, Scope.MODEL, 10_000_000, Duration.ofMinutes(5), null);
        List<LimitRule> rules = List.of(requests, tokens, input, output, rolling);
        Random random = new Random(7);
        long served = 0;
        long in = 0;
        long out = 0;
        for (int i = 0; i < 60; i++) {
            Reservation r = store.reserve(request(rules, UTC, 100 + random.nextInt(900), 1024), CreditPrice.NONE);
            assertTrue(r.admitted());
            long actualIn = random.nextInt(1500);
            long actualOut = random.nextInt(3000);
            if (i % 4 == 3) {
                r.admission().released().join();
                continue;
            }
            r.admission().served(Spent.reported(actualIn, actualOut), List.of()).join();
            served++;
            in += actualIn;
            out += actualOut;
        }
        assertEquals(served, used(requests, UTC));
        assertEquals(in + out, used(tokens, UTC));
        assertEquals(in, used(input, UTC));
        assertEquals(out, used(output, UTC));
        assertEquals(in + out, used(rolling, UTC));
        List<HourlyUsage> rows = ledger.read(account, clock.instant().minus(Duration.ofHours(1)), clock.instant().plusSeconds(1));
        assertEquals(List.of(new HourlyUsage(clock.instant().truncatedTo(ChronoUnit.HOURS), MODEL,
                new UsageCounts(served, in, out, 0, 0, 0))), rows);
    }

    @Test
    void settling_twice_corrects_only_once() {
        LimitRule tokens = LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 100_000);
        Reservation r = store.reserve(request(List.of(tokens), UTC, 100, 900), CreditPrice.NONE);
        r.admission().served(Spent.reported(50, 50), List.of()).join();
        r.admission().served(Spent.reported(50, 50), List.of()).join();
        r.admission().released().join();
        assertEquals(100, used(tokens, UTC));
    }

    @Test
    void credits_are_counted_at_the_given_price() {
        LimitRule credits = LimitRule.of(Metric.CREDITS, Window.MONTH, Scope.ACCOUNT, 100_000);
        CreditPrice price = new CreditPrice(10.0, 30.0);
        Reservation r = store.reserve(request(List.of(credits), UTC, 1000, 1000), price);
        assertEquals(40_000, used(credits, UTC), "estimate: 1000 x 10 + 1000 x 30 micro-units");
        r.admission().served(Spent.reported(2000, 500), List.of()).join();
        assertEquals(35_000, used(credits, UTC));
    }

    @Test
    void a_parked_model_is_skipped_until_the_named_moment_and_the_later_parking_wins() {
        LimitRule rule = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 100);
        Instant midnight = clock.instant().plus(Duration.ofHours(3));
        store.park(account, MODEL, new QuotaStore.Parking(midnight, "RESOURCE_EXHAUSTED per day", ParkingKind.EXHAUSTED));
        store.park(account, MODEL, new QuotaStore.Parking(clock.instant().plusSeconds(20), "retry in 20s", ParkingKind.EXHAUSTED));
        Reservation denied = store.reserve(request(List.of(rule), UTC, 1, 1), CreditPrice.NONE);
        assertFalse(denied.admitted());
        assertEquals("parked: RESOURCE_EXHAUSTED per day", denied.deniedBy());
        assertEquals(midnight.truncatedTo(ChronoUnit.MILLIS), denied.retryAt());
        assertEquals(midnight.truncatedTo(ChronoUnit.MILLIS), store.parked(account, MODEL).orElseThrow().until());
        assertEquals(0, used(rule, UTC), "nothing counted for a parked model");
        QuotaStore.QuotaRequest other = new QuotaStore.QuotaRequest(account, "other-model", List.of(rule), UTC, 1, 1);
        assertTrue(store.reserve(other, CreditPrice.NONE).admitted(), "only that model is parked");
        assertTrue(store.parked(account, "other-model").isEmpty());
    }

    @Test
    void an_account_and_its_model_both_parked_say_the_later_of_the_two() {
        Instant midnight = clock.instant().plus(Duration.ofHours(3));
        store.park(account, MODEL, new QuotaStore.Parking(midnight, "RESOURCE_EXHAUSTED per day", ParkingKind.EXHAUSTED));
        store.park(account, null, new QuotaStore.Parking(clock.instant().plus(Duration.ofMinutes(15)),
                "key refused", ParkingKind.CREDENTIALS_REJECTED));
        Reservation denied = store.reserve(request(List.of(), UTC, 1, 1), CreditPrice.NONE);
        assertEquals(midnight.truncatedTo(ChronoUnit.MILLIS), denied.retryAt(),
                "the model's day, not the key's 15 minutes: a retry then would only be refused again");
    }

    @Test
    void a_parked_account_is_skipped_for_every_model() {
        store.park(account, null, new QuotaStore.Parking(clock.instant().plusSeconds(60), "credits exhausted", ParkingKind.EXHAUSTED));
        assertEquals("parked: credits exhausted", store.reserve(request(List.of(), UTC, 1, 1), CreditPrice.NONE).deniedBy());
        assertEquals("credits exhausted", store.parked(account, "any-model").orElseThrow().reason());
    }

    @Test
    void a_provider_report_raises_counters_but_never_lowers_them() {
        LimitRule rpd = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1000);
        LimitRule tpm = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000);
        List<LimitRule> rules = List.of(rpd, tpm);
        Reservation r = store.reserve(request(rules, UTC, 100, 100), CreditPrice.NONE);
        // Groq: remaining-requests describes the day, remaining-tokens the minute.
        r.admission().served(Spent.reported(150, 50), List.of(new ReportedRemaining(Metric.REQUESTS, Window.DAY, 900),
                new ReportedRemaining(Metric.TOKENS, Window.MINUTE, 7950))).join();
        assertEquals(100, used(rpd, UTC), "the provider counted 100 requests today");
        assertEquals(200, used(tpm, UTC), "our 200 tokens exceed the provider's 50");
        store.correct(account, MODEL, rules, UTC, List.of(new ReportedRemaining(Metric.REQUESTS, Window.DAY, 990)));
        assertEquals(100, used(rpd, UTC), "a report showing less use does not lower the count");
        store.correct(account, MODEL, rules, UTC, List.of(new ReportedRemaining(Metric.TOKENS, Window.MINUTE, 0)));
        assertEquals("tokens:minute:model", store.reserve(request(rules, UTC, 1, 1), CreditPrice.NONE).deniedBy());
    }

    @Test
    void a_report_that_comes_after_the_window_ended_floors_the_window_it_was_read_in() {
        LimitRule tpm = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000);
        Reservation r = store.reserve(request(List.of(tpm), UTC, 100, 100), CreditPrice.NONE);
        clock.advance(Duration.ofSeconds(60)); // the call ran on into the next minute
        r.admission().failed(new Admission.Failure(true, Spent.reported(150, 50), null, false,
                List.of(new ReportedRemaining(Metric.TOKENS, Window.MINUTE, 7000)), false)).join();
        assertEquals(1000, used(tpm, UTC), "the provider's figure is for the minute it answered in");
        Reservation next = store.reserve(request(List.of(tpm), UTC, 100, 100), CreditPrice.NONE);
        next.admission().served(Spent.reported(150, 50), List.of(new ReportedRemaining(Metric.TOKENS, Window.MINUTE, 6500))).join();
        assertEquals(1500, used(tpm, UTC));
    }

    @Test
    void remaining_figures_describe_the_tightest_request_and_token_rules() {
        LimitRule rpm = LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.MODEL, 30);
        LimitRule rpd = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1000);
        LimitRule tpm = LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000);
        Reservation r = store.reserve(request(List.of(rpm, rpd, tpm), UTC, 500, 1000), CreditPrice.NONE);
        Reservation.Remaining remaining = r.remaining();
        assertEquals(29, remaining.requests());
        assertEquals(Windows.span(Window.MINUTE, UTC, clock.instant()).end(), remaining.requestsReset());
        assertEquals(6500, remaining.tokens());
    }

    @Test
    void ledger_keeps_fallbacks_and_errors_per_model_and_hour() {
        ledger.record(account, MODEL, UsageCounts.fallback());
        ledger.record(account, MODEL, UsageCounts.error().plus(UsageCounts.fallback()));
        ledger.record(account, "other-model", UsageCounts.error());
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        clock.advance(Duration.ofHours(1));
        ledger.record(account, MODEL, UsageCounts.served(10, 20));
        List<HourlyUsage> rows = ledger.read(account, hour, clock.instant().plusSeconds(1));
        assertEquals(List.of(
                new HourlyUsage(hour, MODEL, new UsageCounts(0, 0, 0, 2, 1, 0)),
                new HourlyUsage(hour, "other-model", new UsageCounts(0, 0, 0, 0, 1, 0)),
                new HourlyUsage(hour.plus(1, ChronoUnit.HOURS), MODEL, new UsageCounts(1, 10, 20, 0, 0, 0))), rows);
    }

    @Test
    void scripts_flushed_from_redis_are_sent_again() {
        LimitRule rule = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 5);
        assertTrue(store.reserve(request(List.of(rule), UTC, 1, 1), CreditPrice.NONE).admitted());
        for (int port : redis.ports()) {
            Resp.command(port, "SCRIPT", "FLUSH");
        }
        assertTrue(store.reserve(request(List.of(rule), UTC, 1, 1), CreditPrice.NONE).admitted());
        assertEquals(2, used(rule, UTC));
        assertFalse(store.degraded());
    }

    @Test
    void every_key_of_an_account_expires() {
        LimitRule minute = LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.MODEL, 10);
        LimitRule month = LimitRule.of(Metric.TOKENS, Window.MONTH, Scope.ACCOUNT, 100_000);
        LimitRule grant = LimitRule.of(Metric.TOKENS, Window.GRANT, Scope.MODEL, 100_000);
        LimitRule rolling = new LimitRule(Metric.REQUESTS, Window.ROLLING, Scope.MODEL, 10, Duration.ofSeconds(60), null);
        LimitRule leases = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 3);
        List<LimitRule> rules = List.of(minute, month, grant, rolling, leases);
        Reservation r = store.reserve(request(rules, UTC, 10, 10), CreditPrice.NONE);
        store.reserve(request(rules, UTC, 10, 10), CreditPrice.NONE);
        r.admission().served(Spent.reported(5, 5), List.of(new ReportedRemaining(Metric.REQUESTS, Window.ROLLING, 1))).join();
        store.park(account, MODEL, new QuotaStore.Parking(clock.instant().plusSeconds(60), "test", ParkingKind.EXHAUSTED));
        ledger.record(account, MODEL, UsageCounts.error());
        List<String> keys = new ArrayList<>();
        for (int port : redis.ports()) {
            for (Object key : (List<?>) Resp.command(port, "KEYS", QuotaKeys.account(account).replace("{", "\\{")
                    .replace("}", "\\}") + "*")) {
                keys.add((String) key);
                long ttl = (Long) Resp.command(port, "PTTL", (String) key);
                assertTrue(ttl > 0, key + " has no expiry");
            }
        }
        assertEquals(8, keys.size(), "five rule keys, a parking, a ledger hour and the marker of the reservation"
                + " still open (the settled one's is gone): " + keys);
    }
}

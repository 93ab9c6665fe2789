package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ends waiting for Redis: one that Redis refuses outright is not waited on, and holds up none behind it. */
class PendingEndsTest {

    private static final LimitRule FLOORED = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 100);

    private final RedisServer redis = RedisServer.start();
    private final Vertx vertx = Vertx.vertx();
    private final RedisScripts scripts = new RedisScripts(redis.client(vertx), Duration.ofSeconds(2));
    private final String account = "pending:" + UUID.randomUUID();

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    @Test
    void keeping_no_recent_requests_still_settles_every_call() {
        Clock clock = Clock.systemUTC();
        RedisQuotaStore store = new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(300), clock, new RedisQuotaStore.Keeping(0,
                Duration.ofDays(2)));
        RequestLog log = new RequestLog(scripts, clock, 0, Duration.ofDays(2), Duration.ofDays(35));
        LimitRule one = LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1);
        QuotaStore.QuotaRequest call = new QuotaStore.QuotaRequest(account, "m", List.of(one), ZoneOffset.UTC, 1, 1);
        for (int i = 0; i < 3; i++) {
            Reservation served = store.reserve(call, CreditPrice.NONE);
            assertTrue(served.admitted(), "call " + i + ": the one before it ended");
            served.admission().served(Spent.reported(1, 1), List.of(), new Trail(Duration.ofMillis(5), "{}", null,
                    null)).join();
        }
        log.refused(List.of("total:429"), null, "{}");
        assertEquals(0, store.pendingEnds(), "no end was refused");
        assertFalse(scripts.degraded());
    }

    @Test
    void an_end_redis_refuses_is_dropped_and_the_ones_behind_it_land() throws Exception {
        Clock clock = Clock.systemUTC();
        CountedRule refused = CountedRule.of(FLOORED, account, "refused", ZoneOffset.UTC, clock.instant(), 1,
                Duration.ofMinutes(6), Duration.ofMinutes(5));
        Resp.command(redis.port(), "HSET", refused.key(), "not", "a counter"); // WRONGTYPE for every settle
        CountedRule fine = CountedRule.of(FLOORED, account, "fine", ZoneOffset.UTC, clock.instant(), 1,
                Duration.ofMinutes(6), Duration.ofMinutes(5));
        try (PendingEnds pending = new PendingEnds(scripts, clock)) {
            Instant until = clock.instant().plusSeconds(60);
            pending.send(new Settlement(account, "none", Settlement.Mode.FIGURES).rule(refused, 0, 0, 5), until);
            pending.send(new Settlement(account, "none", Settlement.Mode.FIGURES).rule(fine, 0, 0, 7), until);

            long deadline = System.currentTimeMillis() + 5000;
            while (pending.waiting() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, pending.waiting(), "nothing waits on an end Redis will never take");
            assertEquals("7", Resp.text(redis.port(), "GET", fine.key()), "the end behind it landed");
            assertFalse(scripts.degraded(), "Redis answered: it is not away");
        }
    }
}

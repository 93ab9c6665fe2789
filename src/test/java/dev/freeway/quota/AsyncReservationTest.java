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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reservation decided without holding the caller's thread: from an event loop it is admitted or denied as the
 * blocking form decides, and one given up on (Redis paused past the timeout) changes nothing once Redis runs it.
 */
class AsyncReservationTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final LimitRule TWO_A_DAY = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 2);

    private RedisServer redis;
    private Vertx vertx;
    private RedisScripts scripts;
    private final String account = "async:" + UUID.randomUUID();

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
        return new QuotaStore.QuotaRequest(account, "m", List.of(TWO_A_DAY), ZoneOffset.UTC, 10, 10);
    }

    private long used(RedisQuotaStore store) {
        return store.snapshot(account, "m", List.of(TWO_A_DAY), ZoneOffset.UTC).get(0).used();
    }

    @Test
    void reserved_from_an_event_loop_admitted_until_the_rule_is_full_then_denied() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_CLOSED);
        for (int call = 1; call <= 3; call++) {
            CompletableFuture<String> decided = new CompletableFuture<>();
            vertx.runOnContext(() -> store.reserveAsync(request(), CreditPrice.NONE).whenComplete((r, e) ->
                    decided.complete(Thread.currentThread().getName().startsWith("vert.x-eventloop") + " "
                            + (e == null ? r.admitted() : e.toString()))));
            assertEquals("true " + (call <= 2), decided.get(5, TimeUnit.SECONDS), "call " + call);
        }
        assertEquals(2, used(store));
    }

    @Test
    void a_reservation_given_up_on_while_redis_was_paused_counts_nothing_when_it_runs() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_CLOSED);
        assertTrue(store.reserveAsync(request(), CreditPrice.NONE).get(5, TimeUnit.SECONDS).admitted());
        Resp.command(redis.port(), "CLIENT", "PAUSE", "1500", "WRITE");

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> store.reserveAsync(request(), CreditPrice.NONE).get(5, TimeUnit.SECONDS));
        assertInstanceOf(QuotaUnavailableException.class, failed.getCause());

        Thread.sleep(2500); // the pause ends; the reserve runs late, and its give-up lands
        assertEquals(1, used(store), "only the call that was admitted counts");
        assertTrue(store.reserveAsync(request(), CreditPrice.NONE).get(5, TimeUnit.SECONDS).admitted(),
                "the given-up reservation left room for this one");
    }

    @Test
    void fail_open_admits_uncounted_when_redis_is_down() throws Exception {
        RedisQuotaStore store = store(RedisFailureMode.FAIL_OPEN);
        redis.stopServer();
        Reservation uncounted = store.reserveAsync(request(), CreditPrice.NONE).get(5, TimeUnit.SECONDS);
        assertTrue(uncounted.admitted());
        assertTrue(uncounted.degraded());
        redis.startAgain();
        assertTrue(store.reserveAsync(request(), CreditPrice.NONE).get(5, TimeUnit.SECONDS).admitted());
        assertFalse(store.degraded());
    }
}

package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisCluster;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import dev.freeway.support.SilentRoute;
import io.vertx.mutiny.core.Vertx;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket to Redis that went silent (a route that died without a reset, or a connection carried across a Lambda
 * SnapStart snapshot) is given up on once and never lent again; across a snapshot it is not even met once.
 */
class RedisSocketsTest {

    /** Room for a cold first call (connect, class loading, NOSCRIPT then EVAL) on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** One request a day: a second reservation shows whether the first was counted, and only once. */
    private static final LimitRule ONE_A_DAY = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1);

    private final Vertx vertx = Vertx.vertx();
    private final String account = "sockets:" + UUID.randomUUID();
    private RedisBackend redis;
    private SilentRoute route;

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
        if (route != null) {
            route.close();
        }
        redis.close();
    }

    private RedisScripts throughRoute() {
        redis = RedisServer.start();
        route = SilentRoute.to(redis.ports().get(0));
        return new RedisScripts(RedisBackend.client(vertx, false, List.of(route.uri())), TIMEOUT);
    }

    private RedisQuotaStore store(RedisScripts scripts) {
        Clock clock = Clock.systemUTC();
        return new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), clock),
                RedisFailureMode.FAIL_CLOSED, Duration.ofSeconds(300), clock);
    }

    private Reservation reserve(RedisQuotaStore store, String model) {
        return store.reserve(new QuotaStore.QuotaRequest(account, model, List.of(ONE_A_DAY), ZoneOffset.UTC, 10, 10),
                CreditPrice.NONE);
    }

    @Test
    void a_connection_that_went_silent_fails_one_call_and_the_next_runs_on_a_new_one() {
        RedisScripts scripts = throughRoute();
        RedisQuotaStore store = store(scripts);
        assertTrue(reserve(store, "before").admitted());
        route.silenceOpenConnections();

        assertThrows(QuotaUnavailableException.class, () -> reserve(store, "lost"));

        assertTrue(reserve(store, "after").admitted(), "the silent socket was not lent again");
        assertFalse(reserve(store, "after").admitted(), "counted once");
        assertEquals(2, route.connectionsOpened());
    }

    @Test
    void a_call_still_waiting_on_a_dropped_connection_keeps_its_own_deadline() throws Exception {
        redis = RedisServer.start();
        RedisScripts scripts = new RedisScripts(redis.client(vertx), TIMEOUT);
        RedisQuotaStore store = store(scripts);
        assertTrue(reserve(store, "warm").admitted());
        Resp.command(redis.ports().get(0), "CLIENT", "PAUSE", "1500", "ALL");
        long paused = System.nanoTime();
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> reserve(store, "first"));
        Thread.sleep(900);
        // sent 0.9 s into the pause: its deadline is 1.9 s, after Redis is back; the first gives up at 1.0 s
        Reservation second = reserve(store, "second");
        assertTrue(second.admitted(), "answered once Redis was back, on the connection the first call dropped");
        assertThrows(java.util.concurrent.CompletionException.class, first::join);
        assertTrue(System.nanoTime() - paused > 1_400_000_000L, "the second call was answered after the pause");
    }

    @Test
    void after_a_long_pause_the_first_call_once_redis_is_back_is_answered() throws Exception {
        redis = RedisServer.start();
        RedisScripts scripts = new RedisScripts(redis.client(vertx), Duration.ofMillis(300));
        RedisQuotaStore store = store(scripts);
        assertTrue(reserve(store, "warm").admitted());
        redis.pause(); // SIGSTOP: connections are accepted, their handshakes hang
        long paused = System.nanoTime();
        int failed = 0;
        while (System.nanoTime() - paused < 4_000_000_000L) { // each failure drops its connection; the next connects
            try {
                reserve(store, "while-paused");
            } catch (QuotaUnavailableException e) {
                failed++;
            }
        }
        redis.resume();
        assertTrue(failed >= 4, failed + " calls failed while Redis was paused");
        assertTrue(reserve(store, "back").admitted(), "connections given up on do not hold the pool");
    }

    @Test
    void after_a_restore_from_a_snapshot_the_first_reservation_is_admitted_and_counted_once() {
        RedisScripts scripts = throughRoute();
        QuotaReadiness readiness = new QuotaReadiness(scripts);
        QuotaSnapshotHooks hooks = new QuotaSnapshotHooks(scripts, readiness);
        readiness.warmUp(); // the function's init: connection open, scripts loaded

        hooks.beforeCheckpoint(null);
        route.silenceOpenConnections(); // what the snapshot held no longer leads anywhere
        hooks.afterRestore(null);

        RedisQuotaStore store = store(scripts);
        Reservation first = reserve(store, "m");
        assertTrue(first.admitted());
        assertFalse(first.degraded());
        assertFalse(scripts.degraded(), "no call failed");
        assertFalse(reserve(store, "m").admitted(), "the first was counted, once");
        assertEquals(HealthCheckResponse.Status.UP, readiness.call().getStatus());
    }

    @Test
    void closing_connection_after_connection_frees_the_pool_for_the_next() {
        RedisScripts scripts = throughRoute();
        RedisQuotaStore store = store(scripts);
        for (int i = 0; i < 10; i++) { // more than the client's pool holds (6)
            assertTrue(reserve(store, "m" + i).admitted());
            scripts.disconnect();
        }
        assertEquals(10, route.connectionsOpened());
    }

    @Test
    void on_a_cluster_every_node_s_socket_is_closed_and_the_next_call_opens_new_ones() throws InterruptedException {
        redis = RedisCluster.start();
        RedisScripts scripts = new RedisScripts(redis.client(vertx), Duration.ofSeconds(2));
        RedisQuotaStore store = store(scripts);
        assertTrue(reserve(store, "before").admitted());
        Set<String> before = clientIds();
        assertFalse(before.isEmpty());

        scripts.disconnect();
        assertTrue(reserve(store, "after").admitted());

        assertEquals(Set.of(), keptOf(before), "no node's old socket was lent again");
        assertFalse(clientIds().isEmpty());
    }

    /** Which of {@code before} are still open, once Redis has had a moment to see the closed ones go. */
    private Set<String> keptOf(Set<String> before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            Set<String> kept = new HashSet<>(before);
            kept.retainAll(clientIds());
            if (kept.isEmpty() || System.currentTimeMillis() > deadline) {
                return kept;
            }
            Thread.sleep(20);
        }
    }

    /** The ids of the client connections on every node, but the one asking. */
    private Set<String> clientIds() {
        return redis.ports().stream()
                .flatMap(port -> Arrays.stream(Resp.text(port, "CLIENT", "LIST").split("\n"))
                        .filter(line -> line.startsWith("id=") && !line.contains("cmd=client"))
                        .map(line -> port + "/" + line.substring(3, line.indexOf(' '))))
                .collect(Collectors.toSet());
    }
}

package dev.freeway.routing;

import dev.freeway.quota.CreditPrice;
import dev.freeway.quota.Spent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.Account;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.QuotaRedis;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.RedisFailureMode;
import dev.freeway.quota.RedisQuotaStore;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.RoutingMemory;
import dev.freeway.quota.UsageLedger;
import dev.freeway.routing.task.Task;
import dev.freeway.support.ConfigFixture;
import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How each account strategy spreads requests, against real Redis; "instances" have their own connections. */
class AccountStrategiesTest {

    private static RedisServer redis;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    @BeforeEach
    void empty() {
        Resp.command(redis.port(), "FLUSHALL");
    }

    @Test
    void round_robin_is_exact_across_two_instances_sharing_redis() {
        String yaml = lab("round_robin", 1000, 1000, 1000);
        Instance one = new Instance(yaml);
        Instance two = new Instance(yaml);
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            served.add((i % 2 == 0 ? one : two).serve(conversation("q" + i)));
        }
        for (int i = 0; i < 30; i++) {
            assertEquals(List.of("a", "b", "c").get(i % 3), served.get(i), "request " + i + " of " + served);
        }
    }

    @Test
    void round_robin_skips_an_account_without_room() {
        Instance gateway = new Instance(lab("round_robin", 1000, 2, 1000));
        Map<String, Integer> count = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            count.merge(gateway.serve(conversation("q" + i)), 1, Integer::sum);
        }
        // b's turns after it is full pass to the next account in the rotation, c
        assertEquals(Map.of("a", 4, "b", 2, "c", 6), count);
    }

    @Test
    void least_used_evens_utilisation() {
        Instance gateway = new Instance(lab("least_used", 100, 100, 100));
        for (int i = 0; i < 30; i++) {
            gateway.reserveAndSettle(gateway.account("b"));
        }
        for (int i = 0; i < 60; i++) {
            gateway.serve(conversation("q" + i));
        }
        for (String id : List.of("a", "b", "c")) {
            assertEquals(0.30, gateway.order.utilisation(gateway.candidate, gateway.account(id)), 1e-9, id);
        }
    }

    @Test
    void weighted_prefers_room_then_speed_and_penalises_nearly_full_accounts() {
        Instance gateway = new Instance(lab("weighted", 100, 100, 100));
        for (int i = 0; i < 90; i++) {
            gateway.reserveAndSettle(gateway.account("a"));
        }
        for (int i = 0; i < 10; i++) {
            gateway.reserveAndSettle(gateway.account("b"));
            gateway.reserveAndSettle(gateway.account("c"));
        }
        gateway.memory.recordLatency(gateway.account("b").quotaId(), "m", Duration.ofMillis(200));
        gateway.memory.recordLatency(gateway.account("c").quotaId(), "m", Duration.ofMillis(2000));

        List<String> order = gateway.order.order(gateway.candidate, conversation("x")).stream().map(Account::id).toList();
        assertEquals(List.of("b", "c", "a"), order);
    }

    @Test
    void sticky_keeps_a_conversation_on_its_account_until_it_is_full_then_moves_and_stays() {
        Instance gateway = new Instance(lab("sticky", 3, 3, 3));
        RouteRequest talk = conversation("Let us talk about the weather");
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            served.add(gateway.serve(talk));
        }
        assertEquals(List.of("a", "a", "a", "b", "b"), served.subList(0, 5));
    }

    private static String lab(String strategy, int a, int b, int c) {
        return """
                freeway:
                  providers:
                    lab:
                      type: openai-compatible
                      base-url: http://127.0.0.1:9/v1
                      load-balancing: %s
                      models:
                        m: { context-window: 8192 }
                      accounts:
                        - { id: a, api-key: none, limits: [{ metric: requests, window: day, limit: %d }] }
                        - { id: b, api-key: none, limits: [{ metric: requests, window: day, limit: %d }] }
                        - { id: c, api-key: none, limits: [{ metric: requests, window: day, limit: %d }] }
                """.formatted(strategy, a, b, c);
    }

    private static RouteRequest conversation(String firstMessage) {
        ObjectNode body = new ObjectMapper().createObjectNode().put("model", "lab/m");
        body.putArray("messages").addObject().put("role", "user").put("content", firstMessage);
        return new RouteRequest(body, "lab/m", Task.SIMPLE, 10, 10, java.util.Set.of());
    }

    /** One gateway process's view: its own Redis connection, the shared Redis. */
    private static final class Instance {
        final ProviderPool provider;
        final Candidate candidate;
        final QuotaStore store;
        final RoutingMemory memory;
        final AccountOrder order;

        Instance(String yaml) {
            FreewayConfig config = ConfigFixture.config(yaml);
            Pool pool = ConfigFixture.pool(config);
            provider = pool.provider("lab").orElseThrow();
            candidate = new Candidate(provider, "m", provider.spec().model("m").orElseThrow());
            QuotaRedis connection = new QuotaRedis(RedisBackend.client(vertx, false, redis.uris()),
                    Duration.ofSeconds(5));
            Clock clock = Clock.systemUTC();
            store = new RedisQuotaStore(connection, new UsageLedger(connection, Duration.ofDays(35), clock),
                    RedisFailureMode.FAIL_CLOSED, Duration.ofMinutes(5), clock);
            memory = new RoutingMemory(connection);
            order = new AccountOrder(store, memory, config);
        }

        Account account(String id) {
            return provider.accounts().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
        }

        /** What the executor does: the strategy's order, the first account reserve admits. */
        String serve(RouteRequest request) {
            for (Account account : order.order(candidate, request)) {
                if (reserveAndSettle(account)) {
                    order.served(candidate, request, account, Duration.ofHours(1));
                    return account.id();
                }
            }
            return null;
        }

        boolean reserveAndSettle(Account account) {
            Reservation reservation = store.reserve(new QuotaStore.QuotaRequest(account.quotaId(), "m",
                    account.rulesFor(provider.spec(), "m"), provider.spec().resetZone(), 10, 10), CreditPrice.NONE);
            if (reservation.admitted()) {
                reservation.admission().served(Spent.reported(10, 10), List.of());
            }
            return reservation.admitted();
        }
    }
}

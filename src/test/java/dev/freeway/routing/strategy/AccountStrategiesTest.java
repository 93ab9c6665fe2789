package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.CreditPrice;
import dev.freeway.quota.QuotaKeys;
import dev.freeway.quota.RedisScripts;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.RedisFailureMode;
import dev.freeway.quota.RedisQuotaStore;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.SharedState;
import dev.freeway.quota.Spent;
import dev.freeway.quota.Trail;
import dev.freeway.quota.UsageLedger;
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
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How each account strategy spreads requests, against real Redis: the quota store admits or denies as in production,
 * and each "instance" has its own connection to the one shared Redis, as two gateway processes do.
 */
class AccountStrategiesTest {

    private static final Duration FAST = Duration.ofMillis(200);
    private static final Duration SLOW = Duration.ofMillis(1500);

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
            served.add((i % 2 == 0 ? one : two).serve("q" + i));
        }
        for (int i = 0; i < 30; i++) {
            assertEquals(List.of("a", "b", "c").get(i % 3), served.get(i), "request " + i + " of " + served);
        }
    }

    @Test
    void round_robin_shares_evenly_among_the_accounts_left_once_one_is_full_across_two_instances() {
        String yaml = lab("round_robin", 1000, 10, 1000);
        Instance one = new Instance(yaml);
        Instance two = new Instance(yaml);
        Map<String, Integer> first = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            first.merge((i % 2 == 0 ? one : two).serve("q" + i), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), first, "b is full after its 10th request");
        Map<String, Integer> after = new TreeMap<>();
        for (int i = 0; i < 90; i++) {
            after.merge((i % 2 == 0 ? one : two).serve("r" + i), 1, Integer::sum);
        }
        report("round_robin, b full after 10: the next 90", after);
        assertEquals(Map.of("a", 45, "c", 45), after);
    }

    @Test
    void least_used_evens_utilisation_and_leaves_a_nearly_exhausted_account_alone() {
        Instance gateway = new Instance(lab("least_used", 100, 100, 100));
        for (int i = 0; i < 90; i++) {
            gateway.reserveAndSettle(gateway.account("b"));
        }
        Map<String, Integer> count = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            count.merge(gateway.serve("q" + i), 1, Integer::sum);
        }
        report("least_used, b at 90 of 100: 60 requests", count);
        assertEquals(Map.of("a", 30, "c", 30), count);
        for (int i = 0; i < 150; i++) {
            gateway.serve("r" + i);
        }
        assertEquals(null, gateway.serve("s"), "every account full: reserve refuses, no strategy overrides it");
    }

    @Test
    void weighted_gives_the_fast_account_most_the_slow_one_some_and_the_nearly_exhausted_one_almost_none() {
        // the case, in its order: a slow (1.5 s), b nearly exhausted (90 of 100), c fast
        Instance gateway = new Instance(lab("weighted", 100, 100, 100));
        for (int i = 0; i < 90; i++) {
            gateway.reserveAndSettle(gateway.account("b"));
        }
        Map<String, Duration> latency = Map.of("a", SLOW, "b", FAST, "c", FAST);
        Map<String, Integer> count = new TreeMap<>();
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = gateway.serve("q" + i, latency);
            served.add(id);
            count.merge(id, 1, Integer::sum);
        }
        report("weighted, a slow, b at 90 of 100, c fast: 50 requests", count);
        int fast = count.getOrDefault("c", 0);
        int slow = count.getOrDefault("a", 0);
        assertTrue(fast > slow && fast >= 30, count.toString());
        assertTrue(slow > 0, "the slow account still gets a share once the fast one has used more: " + count);
        assertTrue(count.getOrDefault("b", 0) <= 2, count.toString());
        assertTrue(served.subList(0, 5).contains("c"), "the fast account is found at once: " + served);
    }

    @Test
    void weighted_spreads_requests_among_equal_accounts_instead_of_serving_them_in_blocks() {
        Instance gateway = new Instance(lab("weighted", 1000, 1000, 1000));
        Map<String, Duration> latency = Map.of("a", FAST, "b", FAST, "c", FAST);
        List<String> served = new ArrayList<>();
        Map<String, Integer> count = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            String id = gateway.serve("q" + i, latency);
            served.add(id);
            count.merge(id, 1, Integer::sum);
        }
        report("weighted, three equal accounts: 20 requests " + served, count);
        for (String id : List.of("a", "b", "c")) {
            assertTrue(count.getOrDefault(id, 0) >= 3, count + " " + served);
        }
        assertTrue(longestRun(served) <= 4, "no account takes a block of requests: " + served);
    }

    @Test
    void weighted_scores_an_unmeasured_account_as_the_mean_of_those_measured() {
        Instance gateway = new Instance(lab("weighted", 100, 100, 100));
        WeightedStrategy weighted = (WeightedStrategy) gateway.strategy;
        Choice choice = gateway.choice("x");
        gateway.reserveAndSettle(gateway.account("a"), weighted.settled(choice, gateway.account("a"), SLOW));
        gateway.reserveAndSettle(gateway.account("c"), weighted.settled(choice, gateway.account("c"), FAST));
        Map<Account, Double> scores = weighted.scores(choice);
        double slow = scores.get(gateway.account("a"));
        double unmeasured = scores.get(gateway.account("b"));
        double fast = scores.get(gateway.account("c"));
        // the seed's formula: 40 × quota left + 30 × ½ (the model declares no strengths) + 20 × speed − 10 × 0;
        // a and c each served one request of their 100
        assertEquals(40 * 0.99 + 15 + 10, slow, 1e-9);
        assertEquals(40 + 15 + 15, unmeasured, 1e-9);
        assertEquals(40 * 0.99 + 15 + 20, fast, 1e-9);
    }

    @Test
    void weighted_keeps_its_latency_average_in_the_settlement_of_a_served_call_and_nothing_of_one_that_failed() {
        Instance gateway = new Instance(lab("weighted", 100, 100, 100));
        Account a = gateway.account("a");
        Choice choice = gateway.choice("x");
        String key = QuotaKeys.latency(a.quotaId(), "m");
        gateway.reserveAndSettle(a, gateway.strategy.settled(choice, a, Duration.ofMillis(1000)));
        assertEquals("1000.0", Resp.text(redis.port(), "GET", key));
        gateway.reserveAndSettle(a, gateway.strategy.settled(choice, a, Duration.ofMillis(500)));
        assertEquals("900.0", Resp.text(redis.port(), "GET", key), "the newest sample weighs 0.2");
        long life = Long.parseLong(Resp.text(redis.port(), "PTTL", key));
        assertTrue(life > 0 && life <= WeightedStrategy.KEEP.toMillis(), "the average has a life: " + life);

        Reservation failed = gateway.store.reserve(new QuotaStore.QuotaRequest(a.quotaId(), "m",
                a.rulesFor(gateway.provider.spec(), "m"), gateway.provider.spec().resetZone(), 10, 10),
                CreditPrice.NONE);
        failed.admission().failed(new dev.freeway.quota.Admission.Failure(true, Spent.NOTHING, null, false,
                List.of(), true)).join();
        failed.admission().served(Spent.reported(1, 1), List.of(),
                new Trail(Duration.ZERO, null, null, gateway.strategy.settled(choice, a, Duration.ofMillis(1)))).join();
        assertEquals("900.0", Resp.text(redis.port(), "GET", key), "an attempt ends once; a failed one keeps no sample");
    }

    @Test
    void sticky_keeps_a_conversation_on_its_account_until_it_is_full_then_moves_and_stays_across_instances() {
        String yaml = lab("sticky", 3, 3, 3);
        Instance one = new Instance(yaml);
        Instance two = new Instance(yaml);
        String talk = "Let us talk about the weather";
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            served.add((i % 2 == 0 ? one : two).serve(talk));
        }
        assertEquals(List.of("a", "a", "a", "b", "b"), served);
        // the first conversation took the first turn (a); its moving on to b took none
        assertEquals("b", one.serve("Another conversation"), "a new conversation takes the next turn");
    }

    @Test
    void sticky_turns_are_the_new_conversations_so_a_long_one_does_not_send_every_new_one_to_one_account() {
        Instance gateway = new Instance("""
                freeway:
                  providers:
                    lab:
                      type: openai-compatible
                      base-url: http://127.0.0.1:9/v1
                      load-balancing: sticky
                      models:
                        m: { context-window: 8192 }
                      accounts:
                        - { id: a, api-key: none, limits: [{ metric: requests, window: day, limit: 100 }] }
                        - { id: b, api-key: none, limits: [{ metric: requests, window: day, limit: 100 }] }
                """);
        assertEquals("a", gateway.serve("the long conversation"));
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            assertEquals("a", gateway.serve("the long conversation"), "it stays where it sticks");
            fresh.add(gateway.serve("new conversation " + i));
        }
        // with the long talk taking a turn each time, every new conversation went to a
        assertEquals(List.of("b", "a", "b", "a", "b", "a"), fresh, "new conversations take the turns between them");
    }

    @Test
    void sticky_new_conversations_share_the_accounts_with_room_evenly_while_one_is_full() {
        Instance gateway = new Instance(lab("sticky", 1, 100, 100));
        gateway.reserveAndSettle(gateway.account("a")); // a is full
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(gateway.serve("conversation " + i));
        }
        // a's turn goes to b, and the position moves past b, as round robin does: b did not take c's turns too
        assertEquals(List.of("b", "c", "b", "c", "b", "c"), served);
        assertEquals("b", gateway.serve("conversation 0"), "a conversation stays where it moved");
    }

    @Test
    void sticky_requests_without_a_conversation_take_turns_as_under_round_robin() {
        // embeddings have no messages: nothing to keep together, so they are spread, not all stuck to one account
        Instance gateway = new Instance(lab("sticky", 100, 100, 100));
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(gateway.serve(null));
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), served);
    }

    @Test
    void a_request_served_where_its_conversation_sticks_costs_one_round_trip_besides_reserve_and_settle()
            throws Exception {
        Instance gateway = new Instance(lab("sticky", 100, 100, 100));
        gateway.serve("a warm-up, so every script is loaded");
        List<String> served = new ArrayList<>();
        Map<String, Integer> sent;
        try (Monitor monitor = new Monitor(redis.port())) {
            for (int i = 0; i < 5; i++) {
                served.add(gateway.serve("Let us talk about the weather"));
            }
            sent = monitor.commandsSent();
        }
        assertEquals(List.of("b", "b", "b", "b", "b"), served, "the second turn's account, then where it sticks");
        // per request: the turn with the conversation's account, the reserve, the settle; nothing read or written else
        assertEquals(Map.of("evalsha", 15), sent);
    }

    @Test
    void weighted_reads_each_accounts_usage_and_latency_in_one_script_sent_together_for_all_accounts()
            throws Exception {
        Instance gateway = new Instance(lab("weighted", 100, 100, 100));
        gateway.serve("a warm-up, so every script is loaded", Map.of("a", FAST, "b", FAST, "c", FAST));
        Map<String, Integer> sent;
        try (Monitor monitor = new Monitor(redis.port())) {
            for (int i = 0; i < 5; i++) {
                gateway.serve("q" + i, Map.of("a", FAST, "b", FAST, "c", FAST));
            }
            sent = monitor.commandsSent();
        }
        // per request: one standing of each of the three accounts (sent together), the reserve, and the settle,
        // which folds the served account's latency into its average; no separate read or write of the averages
        assertEquals(Map.of("evalsha", 25), sent);
    }

    @Test
    void a_conversation_stuck_to_an_account_no_longer_configured_takes_the_turns_account_and_stays() {
        Instance gateway = new Instance(lab("sticky", 100, 100, 100));
        String talk = "Let us talk about the weather";
        String key = QuotaKeys.stickiness("lab", gateway.choice(talk).conversation().get());
        Resp.command(redis.port(), "SET", key, "removed-account");
        assertEquals("a", gateway.serve(talk));
        // "~a": stuck by this request's turn (sticky-move.lua reads the mark if another account serves)
        assertEquals("a", Resp.text(redis.port(), "GET", key).replaceFirst("^~", ""));
        assertEquals("a", gateway.serve(talk), "stays where it went, though the next turn is b's");
    }

    /** What clients send to Redis, seen through MONITOR: the commands scripts run inside Redis are not counted. */
    private static final class Monitor implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedReader lines;

        Monitor(int port) throws java.io.IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.getOutputStream().write("MONITOR\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            lines = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("+OK", lines.readLine());
        }

        /** Commands by name, as clients sent them until now; MONITOR prints each once it has run. */
        Map<String, Integer> commandsSent() throws java.io.IOException {
            socket.setSoTimeout(300);
            Map<String, Integer> sent = new TreeMap<>();
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\+[\\d.]+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");
            try {
                String text;
                while ((text = lines.readLine()) != null) {
                    java.util.regex.Matcher command = line.matcher(text);
                    if (command.find() && !command.group(1).equals("lua")) {
                        sent.merge(command.group(2).toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                    }
                }
            } catch (java.net.SocketTimeoutException allSeen) {
                // nothing more came
            }
            return sent;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void with_redis_down_every_strategy_still_offers_every_account_and_reads_redis_again_once_it_is_back_cold() {
        List<String> strategies = List.of("round_robin", "least_used", "weighted", "sticky");
        Map<String, Instance> gateways = new TreeMap<>();
        strategies.forEach(name -> gateways.put(name, new Instance(lab(name, 100, 100, 100))));
        redis.stopServer();
        try {
            gateways.forEach((name, gateway) -> assertEquals(List.of("a", "b", "c"),
                    gateway.strategy.order(gateway.choice("q")).stream().map(Account::id).sorted().toList(),
                    name + " offers every account, in some order, when it cannot read Redis"));
        } finally {
            redis.startAgain(); // empty, and no script loaded: each is sent again in full (NOSCRIPT)
        }
        Instance leastUsed = gateways.get("least_used");
        for (int i = 0; i < 90; i++) {
            leastUsed.reserveAndSettle(leastUsed.account("b"));
        }
        assertEquals("b", leastUsed.strategy.order(leastUsed.choice("q")).get(2).id(),
                "the usage read together again: the fullest account is offered last");
        assertEquals("a", gateways.get("sticky").serve("a new conversation"), "the first turn of an empty Redis");
    }

    @Test
    void every_load_balancing_value_has_exactly_one_strategy_or_start_up_fails() {
        Instance gateway = new Instance(lab("round_robin", 1, 1, 1));
        RoundRobinStrategy turns = new RoundRobinStrategy(gateway.state);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new AccountStrategies(List.of(turns, new LeastUsedStrategy(gateway.store))));
        assertTrue(missing.getMessage().contains("weighted"), missing.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> new AccountStrategies(List.of(turns, turns)));
        assertTrue(twice.getMessage().contains("round_robin"), twice.getMessage());
    }

    private static int longestRun(List<String> served) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < served.size(); i++) {
            run = i > 0 && served.get(i).equals(served.get(i - 1)) ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static void report(String what, Map<String, Integer> count) {
        System.out.println("distribution: " + what + " -> " + count);
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

    /** One gateway process's view: its own Redis connection, the shared Redis, its strategy for the lab provider. */
    private static final class Instance {
        final ProviderPool provider;
        final QuotaStore store;
        final SharedState state;
        final AccountStrategy strategy;

        Instance(String yaml) {
            Pool pool = ConfigFixture.pool(ConfigFixture.config(yaml));
            provider = pool.provider("lab").orElseThrow();
            RedisScripts connection = new RedisScripts(RedisBackend.client(vertx, false, redis.uris()),
                    Duration.ofSeconds(5));
            Clock clock = Clock.systemUTC();
            store = new RedisQuotaStore(connection, new UsageLedger(connection, Duration.ofDays(35), clock),
                    RedisFailureMode.FAIL_CLOSED, Duration.ofMinutes(5), clock);
            state = new SharedState(connection);
            RoundRobinStrategy turns = new RoundRobinStrategy(state);
            strategy = new AccountStrategies(List.of(turns, new LeastUsedStrategy(store),
                    new WeightedStrategy(store, pool, new Random(7)::nextDouble),
                    new StickyStrategy(state, pool))).of(provider);
        }

        Account account(String id) {
            return provider.accounts().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
        }

        Choice choice(String conversation) {
            return new Choice(provider, "m", provider.spec().model("m").orElseThrow(), "simple", () -> conversation);
        }

        String serve(String conversation) {
            return serve(conversation, Map.of());
        }

        /** What the executor does: the strategy's order, the first account reserve admits, then the hook. */
        String serve(String conversation, Map<String, Duration> latency) {
            Choice choice = choice(conversation);
            List<Account> order = strategy.order(choice);
            for (int position = 0; position < order.size(); position++) {
                Account account = order.get(position);
                Duration answeredIn = latency.getOrDefault(account.id(), FAST);
                if (reserveAndSettle(account, strategy.settled(choice, account, answeredIn))) {
                    strategy.served(choice, account, position, answeredIn);
                    return account.id();
                }
            }
            return null;
        }

        boolean reserveAndSettle(Account account) {
            return reserveAndSettle(account, null);
        }

        /** A call reserved and served, its settlement carrying what the strategy keeps of it (null for nothing). */
        boolean reserveAndSettle(Account account, Trail.Average kept) {
            Reservation reservation = store.reserve(new QuotaStore.QuotaRequest(account.quotaId(), "m",
                    account.rulesFor(provider.spec(), "m"), provider.spec().resetZone(), 10, 10), CreditPrice.NONE);
            if (reservation.admitted()) {
                reservation.admission().served(Spent.reported(10, 10), List.of(),
                        new Trail(Duration.ZERO, null, null, kept)).join();
            }
            return reservation.admitted();
        }
    }
}

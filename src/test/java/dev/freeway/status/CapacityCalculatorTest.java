package dev.freeway.status;

import dev.freeway.catalog.DialectName;
import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Tier;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.catalog.RequestQuirks;
import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.config.Credential;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capacity arithmetic on a four-provider pool, every expected figure worked out by hand in the comments (a typical
 * request of 1,500 input + 500 output tokens for value). The clock
 * stands at 2026-03-01 03:00 UTC: March (31 days) in UTC, but still February 2026 (28 days) in Los Angeles.
 */
class CapacityCalculatorTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T03:00:00Z"), ZoneOffset.UTC);
    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

    final Capacity.Report report = new CapacityCalculator(CLOCK).pool(pool());

    @Test
    void one_rule_scales_by_its_window() {
        assertEquals(OptionalLong.of(43_200), CapacityCalculator.scaled(rule(Metric.REQUESTS, Window.MINUTE, 30), 1));
        assertEquals(OptionalLong.of(1_339_200), CapacityCalculator.scaled(rule(Metric.REQUESTS, Window.MINUTE, 30), 31));
        assertEquals(OptionalLong.of(2_400), CapacityCalculator.scaled(rule(Metric.REQUESTS, Window.HOUR, 100), 1));
        assertEquals(OptionalLong.of(28_000), CapacityCalculator.scaled(rule(Metric.REQUESTS, Window.DAY, 1_000), 28));
        // a month's allowance could all be spent in one day
        assertEquals(OptionalLong.of(5_000), CapacityCalculator.scaled(rule(Metric.TOKENS, Window.MONTH, 5_000), 1));
        assertEquals(OptionalLong.of(5_000), CapacityCalculator.scaled(rule(Metric.TOKENS, Window.MONTH, 5_000), 30));
        // 600 per rolling 60 s: 600 × 86,400 / 60
        assertEquals(OptionalLong.of(864_000), CapacityCalculator.scaled(rolling(Metric.REQUESTS, 60, 600), 1));
        // 7 per rolling 3,600 s over 30 days: ⌊7 × 2,592,000 / 3,600⌋ = 5,040
        assertEquals(OptionalLong.of(5_040), CapacityCalculator.scaled(rolling(Metric.REQUESTS, 3_600, 7), 30));
        assertEquals(OptionalLong.empty(), CapacityCalculator.scaled(
                new LimitRule(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1_000_000, null, null), 1));
        assertEquals(OptionalLong.empty(), CapacityCalculator.scaled(
                rule(Metric.CONCURRENT_REQUESTS, Window.NONE, 1), 1));
    }

    @Test
    void minute_rules_are_capped_by_day_rules_and_input_plus_output_bounds_tokens() {
        List<LimitRule> rules = List.of(rule(Metric.REQUESTS, Window.MINUTE, 30), rule(Metric.REQUESTS, Window.DAY, 1_000),
                rule(Metric.INPUT_TOKENS, Window.DAY, 300), rule(Metric.OUTPUT_TOKENS, Window.DAY, 200));
        assertEquals(1_000, CapacityCalculator.bound(rules, Metric.REQUESTS, 1).orElseThrow().value());
        assertEquals("account requests/day", CapacityCalculator.bound(rules, Metric.REQUESTS, 1).orElseThrow().by());
        assertEquals(500, CapacityCalculator.bound(rules, Metric.TOKENS, 1).orElseThrow().value());
        assertTrue(CapacityCalculator.bound(rules.subList(0, 3), Metric.TOKENS, 1).isEmpty());
    }

    @Test
    void tokens_a_day_never_exceed_requests_a_day_times_what_one_request_can_carry() {
        // Gemini 2.5 Flash: 20 requests a day, 250,000 tokens a minute, a 1M window: one request carries at most
        // 250,000 tokens (it must fit one minute's window), so 20 × 250,000 = 5,000,000 a day, not 250,000 × 1,440
        ProviderSpec spec = spec("flashlike", UTC, List.of(), new ModelSpec("F", 1_048_576, 65_536,
                Set.of("simple"), Set.of(), null, List.of(perModel(Metric.REQUESTS, Window.MINUTE, 5),
                perModel(Metric.REQUESTS, Window.DAY, 20), perModel(Metric.TOKENS, Window.MINUTE, 250_000)), true));
        Capacity.ModelRow f = new CapacityCalculator(CLOCK).account(spec, account("flashlike", "p"), 31).models().get(0);
        assertEquals(20, f.requestsPerDay());
        assertEquals(250_000, f.tokensPerRequest());
        assertEquals(5_000_000, f.tokensPerDay());
        assertEquals("20 requests x 250,000 tokens a request (tokens/minute)", f.tokensBound());
    }

    @Test
    void per_model_rules_add_up_per_account_and_accounts_add_up_per_provider() {
        Capacity.ProviderCapacity groq = provider("groqlike");
        // team-a: X min(30×1440, 1000) + Y min(30×1440, 250) = 1,250 a day, 31,000 + 7,750 = 38,750 a month (31 days)
        //         tokens: X min(8000×1440, 200,000, 1000 × 8,000 a request) = 200,000
        //               + Y min(70,000×1440, 250 × 70,000 a request) = 17,500,000 → 17,700,000 a day
        //         a month: X min(357,120,000, 6,200,000) + Y min(3,124,800,000, 7,750 × 70,000) = 548,700,000
        //         value: X min(31,000 × 2,000 typical, 6,200,000) × (1,500×0.15 + 500×0.60)/2,000 per 1M = 1.6275
        figures(groq.byAccount().get(0).capacity().free(), 1_250, 38_750, 17_700_000, 548_700_000L, 1.6275);
        // team-b's per-model override of 500 a day replaces both models' day rule: Y then carries 500 × 70,000
        figures(groq.byAccount().get(1).capacity().free(), 1_000, 31_000, 35_200_000, 1_091_200_000L, 1.6275);
        figures(groq.capacity().free(), 2_250, 69_750, 52_900_000, 1_639_900_000L, 3.255);
        assertEquals(List.of("Y"), groq.capacity().free().unpriced());
        assertEquals(2, groq.accounts());
        assertEquals(31, groq.daysInMonth());
    }

    @Test
    void account_wide_rules_cap_models_without_rules_of_their_own() {
        Capacity.ProviderCapacity router = provider("routerlike");
        // min(20×1440, 50) = 50 a day shared by P and Q; min(20×44,640, 50×31) = 1,550 a month;
        // no token rule, but 50 requests carry at most 50 × 131,072 (the context window) = 6,553,600 tokens
        figures(router.capacity().free(), 50, 1_550, 6_553_600, 203_161_600, 0.0);
        assertEquals(List.of(), router.capacity().free().noPublishedLimitRequests());
        assertEquals(List.of(), router.capacity().free().noPublishedLimitTokens());
        assertEquals(List.of("P", "Q"), router.capacity().free().unpriced());
    }

    @Test
    void paid_rate_limits_are_a_ceiling_apart_from_free_capacity_and_grants_stay_apart() {
        Capacity.ProviderCapacity scope = provider("scopelike");
        // R's per-minute rules are tier paid and its free part is a grant: 600 per 60 s = 864,000 a day,
        // 26,784,000 a month; 1,000,000 tokens per 60 s = 1,440,000,000 a day, 44,640,000,000 a month; no value
        figures(scope.capacity().paidCeiling(), 864_000, 26_784_000, 1_440_000_000L, 44_640_000_000L, null);
        // S is free and no rule bounds it: no published limit, in no figure
        figures(scope.capacity().free(), 0, 0, 0, 0, 0.0);
        assertEquals(List.of("S"), scope.capacity().free().noPublishedLimitRequests());
        assertEquals(List.of("S"), scope.capacity().free().noPublishedLimitTokens());
        // the grant: 1,000,000 tokens × (1,500×0.4 + 500×1.2)/2,000 per 1M = $0.60
        assertEquals(List.of(new Capacity.Grant("main", "R", "tokens", 1_000_000, "2026-06-30", 0.6)),
                scope.grants().stream().map(g -> new Capacity.Grant(g.account(), g.model(), g.metric(), g.limit(),
                        g.expires(), Math.round(g.valueUsd() * 1e9) / 1e9)).toList());
    }

    @Test
    void an_account_wide_month_rule_caps_the_sum_and_shares_the_value_in_proportion() {
        Capacity.ProviderCapacity gem = provider("gemlike");
        assertEquals(28, gem.daysInMonth()); // still February in Los Angeles
        // requests: M1 1 per rolling second = 86,400 + M2 min(14,400, 20) = 86,420 a day; 2,419,760 over 28 days
        // tokens a day: M1 min(720,000,000, 1e9) + M2 min(360,000,000, 20 × 131,072) = 722,621,440;
        // a month: M1 1e9 + M2 560 × 131,072, capped by the 1,000,000,000 month rule
        // value: M1 min(2,419,200 × 2,000, 1e9) + M2 560 × 2,000 tokens, scaled by 1e9 / 1,001,120,000, at
        //        (1,500×1.0 + 500×2.0)/2,000 and (1,500×0.1 + 500×0.4)/2,000 per 1M
        double value = 1e9 / 1_001_120_000.0 * (1e9 * 1.25 + 1_120_000 * 0.175) / 1e6;
        figures(gem.capacity().free(), 86_420, 2_419_760, 722_621_440L, 1_000_000_000L, value);
    }

    @Test
    void the_pool_adds_up_its_providers_and_names_what_no_rule_bounds() {
        Capacity.Figures total = report.total().free();
        double gem = 1e9 / 1_001_120_000.0 * (1e9 * 1.25 + 1_120_000 * 0.175) / 1e6;
        figures(total, 2_250 + 50 + 86_420, 69_750 + 1_550 + 2_419_760, 52_900_000L + 6_553_600L + 722_621_440L,
                1_639_900_000L + 203_161_600L + 1_000_000_000L, 3.255 + gem);
        assertEquals(List.of("scopelike/S"), total.noPublishedLimitRequests());
        assertEquals(List.of("scopelike/S"), total.noPublishedLimitTokens());
        assertEquals(List.of("groqlike/Y", "routerlike/P", "routerlike/Q"), total.unpriced());
        figures(report.total().paidCeiling(), 864_000, 26_784_000, 1_440_000_000L, 44_640_000_000L, null);
        assertEquals(List.of("groqlike", "routerlike", "scopelike", "gemlike"),
                report.providers().stream().map(Capacity.ProviderCapacity::name).toList());
    }

    @Test
    void a_credit_allowance_bounds_priced_models_and_leaves_unpriced_ones_out() {
        // 10,000 credits (micro-dollars) a day; P costs 0.5 a 1M input tokens: at most 20,000 tokens a day
        ProviderSpec spec = spec("neurons", UTC, List.of(rule(Metric.CREDITS, Window.DAY, 10_000)),
                model("P", new ModelSpec.Price(0.5, 2.0, "2026-01-01"), perModel(Metric.REQUESTS, Window.MINUTE, 300)),
                model("U", null, perModel(Metric.REQUESTS, Window.MINUTE, 300)));
        Capacity.AccountCapacity main = new CapacityCalculator(CLOCK).account(spec, account("neurons", "main"), 31);
        assertEquals(20_000, main.models().get(0).tokensPerDay());
        assertEquals(List.of("U"), main.capacity().free().notConvertible());
        assertEquals(432_000, main.capacity().free().requestsPerDay(), "U's 300 a minute is left out");
        assertTrue(main.models().get(1).note().contains("cannot turn into tokens"), main.models().get(1).note());
    }

    private Capacity.ProviderCapacity provider(String name) {
        return report.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static void figures(Capacity.Figures f, long requestsDay, long requestsMonth, long tokensDay,
                                long tokensMonth, Double value) {
        assertEquals(requestsDay, f.requestsPerDay(), "requests per day");
        assertEquals(requestsMonth, f.requestsPerMonth(), "requests per month");
        assertEquals(tokensDay, f.tokensPerDay(), "tokens per day");
        assertEquals(tokensMonth, f.tokensPerMonth(), "tokens per month");
        if (value == null) {
            assertNull(f.valuePerMonthUsd(), "a paid ceiling carries no value");
        } else {
            assertEquals(value, f.valuePerMonthUsd(), 1e-6, "value per month");
        }
    }

    static Pool pool() {
        Map<String, ProviderPool> providers = new LinkedHashMap<>();
        ProviderSpec groq = spec("groqlike", UTC, List.of(),
                model("X", new ModelSpec.Price(0.15, 0.60, "2026-01-01"),
                        perModel(Metric.REQUESTS, Window.MINUTE, 30), perModel(Metric.REQUESTS, Window.DAY, 1_000),
                        perModel(Metric.TOKENS, Window.MINUTE, 8_000), perModel(Metric.TOKENS, Window.DAY, 200_000)),
                model("Y", null, perModel(Metric.REQUESTS, Window.MINUTE, 30),
                        perModel(Metric.REQUESTS, Window.DAY, 250), perModel(Metric.TOKENS, Window.MINUTE, 70_000)));
        providers.put("groqlike", provider(groq, account("groqlike", "team-a"),
                account("groqlike", "team-b", perModel(Metric.REQUESTS, Window.DAY, 500))));
        ProviderSpec router = spec("routerlike", UTC,
                List.of(rule(Metric.REQUESTS, Window.MINUTE, 20), rule(Metric.REQUESTS, Window.DAY, 50),
                        rule(Metric.CONCURRENT_REQUESTS, Window.NONE, 1)),
                model("P", null), model("Q", null));
        providers.put("routerlike", provider(router, account("routerlike", "main")));
        ProviderSpec scope = spec("scopelike", UTC, List.of(),
                model("R", new ModelSpec.Price(0.4, 1.2, "2026-01-01"),
                        new LimitRule(Metric.REQUESTS, Window.ROLLING, Scope.MODEL, 600, Duration.ofSeconds(60), null,
                                Tier.PAID),
                        new LimitRule(Metric.TOKENS, Window.ROLLING, Scope.MODEL, 1_000_000, Duration.ofSeconds(60), null,
                                Tier.PAID),
                        new LimitRule(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1_000_000, null,
                                LocalDate.parse("2026-06-30"))),
                model("S", null));
        providers.put("scopelike", provider(scope, account("scopelike", "main")));
        ProviderSpec gem = spec("gemlike", LOS_ANGELES, List.of(rule(Metric.TOKENS, Window.MONTH, 1_000_000_000)),
                model("M1", new ModelSpec.Price(1.0, 2.0, "2026-01-01"),
                        new LimitRule(Metric.REQUESTS, Window.ROLLING, Scope.MODEL, 1, Duration.ofSeconds(1), null),
                        perModel(Metric.TOKENS, Window.MINUTE, 500_000)),
                model("M2", new ModelSpec.Price(0.10, 0.40, "2026-01-01"),
                        perModel(Metric.REQUESTS, Window.MINUTE, 10), perModel(Metric.REQUESTS, Window.DAY, 20),
                        perModel(Metric.TOKENS, Window.MINUTE, 250_000)));
        providers.put("gemlike", provider(gem, account("gemlike", "project")));
        return new Pool(providers);
    }

    @Test
    void named_clients_divide_the_free_capacity_a_day_by_their_own_rules_scaled_alike() {
        long pool = report.total().free().requestsPerDay();
        long tokens = report.total().free().tokensPerDay();
        // ops: 2 a minute = 2,880 a day; 10,000 tokens a month counts whole for a day, and for March (UTC, 31 days)
        var ops = new dev.freeway.routing.ClientScope("ops", List.of(rule(Metric.REQUESTS, Window.MINUTE, 2),
                rule(Metric.TOKENS, Window.MONTH, 10_000)), Set.of(), Set.of());
        var ci = new dev.freeway.routing.ClientScope("ci", List.of(rule(Metric.REQUESTS, Window.DAY, pool)), Set.of(),
                Set.of());
        var free = new dev.freeway.routing.ClientScope("free", List.of(), Set.of(), Set.of());
        Capacity.ClientDivision division = new CapacityCalculator(CLOCK).pool(pool(), List.of(ops, ci, free)).clients();

        Capacity.ClientShare first = division.clients().get(0);
        assertEquals("ops", first.name());
        assertEquals(2_880, first.requestsPerDay());
        assertEquals(2_880L * 31, first.requestsPerMonth());
        assertEquals(10_000, first.tokensPerDay());
        assertEquals(10_000, first.tokensPerMonth());
        assertEquals(Math.round(2_880 * 1000.0 / pool) / 10.0, first.requestsPerDayPercent());
        assertEquals(100.0, division.clients().get(1).requestsPerDayPercent(), "ci alone may take the whole pool");
        assertNull(division.clients().get(1).tokensPerDay());
        assertEquals(List.of("free"), division.withoutLimits());
        assertEquals(new Capacity.Division(pool, pool + 2_880, true, 2_880, 0), division.requestsPerDay());
        assertEquals(new Capacity.Division(tokens, 10_000, false, 0, tokens - 10_000), division.tokensPerDay());
    }

    static LimitRule rule(Metric metric, Window window, long limit) {
        return LimitRule.of(metric, window, Scope.ACCOUNT, limit);
    }

    static LimitRule rolling(Metric metric, long seconds, long limit) {
        return new LimitRule(metric, Window.ROLLING, Scope.ACCOUNT, limit, Duration.ofSeconds(seconds), null);
    }

    static LimitRule perModel(Metric metric, Window window, long limit) {
        return LimitRule.of(metric, window, Scope.MODEL, limit);
    }

    static ModelSpec model(String id, ModelSpec.Price price, LimitRule... rules) {
        return new ModelSpec(id, 131_072, 8_192, Set.of("simple"), Set.of(), price, List.of(rules), true);
    }

    static ProviderSpec spec(String id, ZoneId zone, List<LimitRule> accountRules, ModelSpec... models) {
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        Arrays.stream(models).forEach(m -> byId.put(m.id(), m));
        return new ProviderSpec(id, id, "http://localhost/" + id, "Authorization", "Bearer ", DialectName.OPENAI, zone, byId,
                Map.of(), accountRules, RequestQuirks.NONE, true, "", false, false);
    }

    static Account account(String provider, String id, LimitRule... overrides) {
        return new Account(provider, id, List.of(new Credential("sk-unit-test")), List.of(overrides));
    }

    static ProviderPool provider(ProviderSpec spec, Account... accounts) {
        return new ProviderPool(spec.id(), spec, LoadBalancing.ROUND_ROBIN, List.of(accounts), Duration.ofSeconds(60),
                false, null);
    }
}

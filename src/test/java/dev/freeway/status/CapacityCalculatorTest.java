package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.catalog.RequestQuirks;
import dev.freeway.config.Account;
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

/**
 * Capacity arithmetic on a four-provider pool, every expected figure worked out by hand in the comments. The clock
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
        assertEquals(OptionalLong.of(1_000), CapacityCalculator.bound(rules, Metric.REQUESTS, 1));
        assertEquals(OptionalLong.of(500), CapacityCalculator.bound(rules, Metric.TOKENS, 1));
        assertEquals(OptionalLong.empty(), CapacityCalculator.bound(rules.subList(0, 3), Metric.TOKENS, 1));
    }

    @Test
    void per_model_rules_add_up_per_account_and_accounts_add_up_per_provider() {
        Capacity.ProviderCapacity groq = provider("groqlike");
        // team-a: X min(30×1440, 1000) + Y min(30×1440, 250) = 1,250 a day;
        //         a month of 31 days: X min(1,339,200, 31,000) + Y 250×31 = 38,750
        //         tokens: X min(8000×1440, 200,000) + Y 70,000×1440 = 200,000 + 100,800,000 = 101,000,000 a day
        //                 X min(357,120,000, 6,200,000) + Y 3,124,800,000 = 3,131,000,000 a month
        //         value: X 6,200,000 × (0.75×0.15 + 0.25×0.60) / 1M = 1.6275; Y has no price
        figures(groq.byAccount().get(0).capacity(), 1_250, 38_750, 101_000_000, 3_131_000_000L, 1.6275);
        // team-b's per-model override of 500 a day replaces both models' day rule: 500 + 500 a day, 15,500 × 2 a month
        figures(groq.byAccount().get(1).capacity(), 1_000, 31_000, 101_000_000, 3_131_000_000L, 1.6275);
        figures(groq.capacity(), 2_250, 69_750, 202_000_000, 6_262_000_000L, 3.255);
        assertEquals(List.of("Y"), groq.capacity().unpriced());
        assertEquals(2, groq.accounts());
        assertEquals(31, groq.daysInMonth());
    }

    @Test
    void account_wide_rules_cap_models_without_rules_of_their_own() {
        Capacity.ProviderCapacity router = provider("routerlike");
        // min(20×1440, 50) = 50 a day; min(20×44,640, 50×31) = 1,550 a month; no token rule at all
        figures(router.capacity(), 50, 1_550, 0, 0, 0);
        assertEquals(List.of(), router.capacity().unlimitedRequests());
        assertEquals(List.of("P", "Q"), router.capacity().unlimitedTokens());
    }

    @Test
    void rolling_windows_scale_by_their_length_and_grants_stay_apart() {
        Capacity.ProviderCapacity scope = provider("scopelike");
        // R: 600 per 60 s = 864,000 a day, × 31 = 26,784,000; 1,000,000 tokens per 60 s = 1,440,000,000 a day,
        // 44,640,000,000 a month, worth 44,640,000,000 × (0.75×0.4 + 0.25×1.2) / 1M = 26,784; the grant is in none
        figures(scope.capacity(), 864_000, 26_784_000, 1_440_000_000L, 44_640_000_000L, 26_784);
        assertEquals(List.of("S"), scope.capacity().unlimitedRequests());
        assertEquals(List.of("S"), scope.capacity().unlimitedTokens());
        assertEquals(List.of(new Capacity.Grant("main", "R", "tokens", 1_000_000, "2026-06-30")), scope.grants());
    }

    @Test
    void an_account_wide_month_rule_caps_the_sum_and_shares_the_value_in_proportion() {
        Capacity.ProviderCapacity gem = provider("gemlike");
        assertEquals(28, gem.daysInMonth()); // still February in Los Angeles
        // requests: M1 1 per rolling second = 86,400 + M2 min(14,400, 20) = 86,420 a day;
        //           2,419,200 + 560 = 2,419,760 over 28 days
        // tokens: M1 720,000,000 + M2 360,000,000 a day, capped by the 1,000,000,000 month rule; the month: capped too
        // value: each share capped at 1e9, together 2e9, scaled by 1e9/2e9:
        //        1e9×0.5×(0.75×1.0 + 0.25×2.0)/1M + 1e9×0.5×(0.75×0.1 + 0.25×0.4)/1M = 625 + 87.5
        figures(gem.capacity(), 86_420, 2_419_760, 1_000_000_000L, 1_000_000_000L, 712.5);
    }

    @Test
    void the_pool_adds_up_its_providers_and_names_what_no_rule_limits() {
        Capacity.Figures total = report.total();
        figures(total, 2_250 + 50 + 864_000 + 86_420, 69_750 + 1_550 + 26_784_000 + 2_419_760,
                202_000_000L + 1_440_000_000L + 1_000_000_000L,
                6_262_000_000L + 44_640_000_000L + 1_000_000_000L, 3.255 + 26_784 + 712.5);
        assertEquals(List.of("scopelike/S"), total.unlimitedRequests());
        assertEquals(List.of("routerlike/P", "routerlike/Q", "scopelike/S"), total.unlimitedTokens());
        assertEquals(List.of("groqlike/Y"), total.unpriced());
        assertEquals(List.of("groqlike", "routerlike", "scopelike", "gemlike"),
                report.providers().stream().map(Capacity.ProviderCapacity::name).toList());
    }

    private Capacity.ProviderCapacity provider(String name) {
        return report.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static void figures(Capacity.Figures f, long requestsDay, long requestsMonth, long tokensDay,
                                long tokensMonth, double value) {
        assertEquals(requestsDay, f.requestsPerDay(), "requests per day");
        assertEquals(requestsMonth, f.requestsPerMonth(), "requests per month");
        assertEquals(tokensDay, f.tokensPerDay(), "tokens per day");
        assertEquals(tokensMonth, f.tokensPerMonth(), "tokens per month");
        assertEquals(value, f.valuePerMonthUsd(), 1e-6, "value per month");
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
                        new LimitRule(Metric.REQUESTS, Window.ROLLING, Scope.MODEL, 600, Duration.ofSeconds(60), null),
                        new LimitRule(Metric.TOKENS, Window.ROLLING, Scope.MODEL, 1_000_000, Duration.ofSeconds(60), null),
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
        return new ProviderSpec(id, id, "http://localhost/" + id, "Authorization", "Bearer ", "openai", zone, byId,
                Map.of(), accountRules, RequestQuirks.NONE, true, "", false);
    }

    static Account account(String provider, String id, LimitRule... overrides) {
        return new Account(provider, id, List.of(new Credential("sk-unit-test")), List.of(overrides));
    }

    static ProviderPool provider(ProviderSpec spec, Account... accounts) {
        return new ProviderPool(spec.id(), spec, "round_robin", List.of(accounts), Duration.ofSeconds(60), false, null);
    }
}

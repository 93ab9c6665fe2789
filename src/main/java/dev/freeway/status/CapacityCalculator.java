package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The most a pool's limit rules admit per day and per month: requests, tokens, and the list-price value of those
 * tokens. Worked out from the rules alone, never from usage; the same for every instance.
 *
 * <p><b>One rule, scaled to a horizon.</b> A horizon is one day, or the current month of {@code D} days in the
 * provider's reset zone.
 * <ul>
 *   <li>minute: limit × 1,440 a day, × 1,440·D a month</li>
 *   <li>hour: limit × 24 a day, × 24·D a month</li>
 *   <li>day: limit a day, limit × D a month</li>
 *   <li>month: limit for either horizon (the whole month's allowance could be spent in one day)</li>
 *   <li>rolling N seconds: ⌊limit × 86,400 / N⌋ a day, ⌊limit × 86,400·D / N⌋ a month (a window that frees
 *       continuously admits its limit once per window length)</li>
 *   <li>grant: in no daily or monthly figure: listed apart with its expiry, since it never renews</li>
 *   <li>concurrent requests: bound no amount over time</li>
 * </ul>
 *
 * <p><b>Several rules.</b> Every rule that applies to a call must admit it, so a group of rules admits the smallest
 * of their scaled figures: 30 requests a minute (43,200 a day) and 1,000 a day admit 1,000 a day. For tokens, an
 * input-token and an output-token rule together also bound tokens, by their sum.
 *
 * <p><b>One account.</b> Model-scoped rules count each model apart, so the account admits the sum of its models'
 * figures (each model's smallest model-scoped figure), capped by the smallest account-scoped figure. A model without
 * a model-scoped rule for a metric is bounded only by the account's rules; when there are none, no rule limits it:
 * it is named in {@code unlimited_*} and left out of the sum.
 *
 * <p><b>Value.</b> Each model's share of the account's monthly tokens is its own monthly figure (capped by the
 * account's), scaled down in proportion when the shares add up to more than the account admits. A share is worth
 * its tokens × the model's list price per 1M tokens, blended as three input tokens to one output token (the usual
 * blend for comparing list prices). Models without a list price count as worth nothing and are named in
 * {@code unpriced}.
 *
 * <p>Providers add up their accounts (each account has its own quotas), and the pool adds up its providers.
 */
public class CapacityCalculator {

    /** Share of input tokens in the blended price. */
    static final double INPUT_SHARE = 0.75;

    static final String BASIS = "Per rule: minute x1440 a day, hour x24, day x1, month = its limit (it could all be"
            + " spent in one day), rolling N seconds x86400/N; monthly figures use the current month's days in the"
            + " provider's zone. Rules applying to the same calls admit their smallest figure. An account admits the"
            + " sum of its models' model-scoped figures, capped by its account-wide rules; providers add up accounts."
            + " Models no rule limits are named apart and left out. Grants are listed apart with their expiry and are"
            + " in no daily or monthly figure. Value = each model's share of monthly tokens x list price per 1M"
            + " tokens, blended 3 input : 1 output.";

    private final Clock clock;

    public CapacityCalculator(Clock clock) {
        this.clock = clock;
    }

    public Capacity.Report pool(Pool pool) {
        List<Capacity.ProviderCapacity> providers = new ArrayList<>();
        Capacity.Figures total = Capacity.Figures.NONE;
        for (ProviderPool provider : pool.all()) {
            if (provider.accounts().isEmpty()) {
                continue;
            }
            Capacity.ProviderCapacity capacity = provider(provider);
            providers.add(capacity);
            total = total.plus(capacity.capacity().named(provider.name()));
        }
        return new Capacity.Report(List.copyOf(providers), total, BASIS);
    }

    public Capacity.ProviderCapacity provider(ProviderPool provider) {
        int days = YearMonth.from(clock.instant().atZone(provider.spec().resetZone())).lengthOfMonth();
        List<Capacity.AccountCapacity> accounts = new ArrayList<>();
        List<Capacity.Grant> grants = new ArrayList<>();
        Capacity.Figures sum = Capacity.Figures.NONE;
        for (Account account : provider.accounts()) {
            Capacity.Figures figures = account(provider.spec(), account, days);
            accounts.add(new Capacity.AccountCapacity(account.id(), figures));
            grants.addAll(grants(provider.spec(), account));
            sum = sum.plus(figures);
        }
        return new Capacity.ProviderCapacity(provider.name(), accounts.size(), days, sum, List.copyOf(accounts),
                List.copyOf(grants));
    }

    /** One account's figures, for a month of {@code days} days. */
    Capacity.Figures account(ProviderSpec spec, Account account, int days) {
        List<LimitRule> shared = accountRules(spec, account);
        Map<String, List<LimitRule>> perModel = new LinkedHashMap<>();
        for (String model : spec.models().keySet()) {
            perModel.put(model, modelRules(spec, account, model));
        }
        Sum requestsDay = sum(shared, perModel, Metric.REQUESTS, 1);
        Sum requestsMonth = sum(shared, perModel, Metric.REQUESTS, days);
        Sum tokensDay = sum(shared, perModel, Metric.TOKENS, 1);
        Sum tokensMonth = sum(shared, perModel, Metric.TOKENS, days);
        List<String> unpriced = new ArrayList<>();
        double value = value(spec, tokensMonth, unpriced);
        return new Capacity.Figures(requestsDay.total, requestsMonth.total, tokensDay.total, tokensMonth.total, value,
                requestsDay.unlimited, tokensDay.unlimited, List.copyOf(unpriced));
    }

    /** The account's rules shared by all its models (catalog defaults with configuration laid over them). */
    static List<LimitRule> accountRules(ProviderSpec spec, Account account) {
        return account.rulesFor(spec, "").stream().filter(r -> r.scope() == Scope.ACCOUNT).toList();
    }

    /** The rules that count one model of the account apart from the others. */
    static List<LimitRule> modelRules(ProviderSpec spec, Account account, String model) {
        return account.rulesFor(spec, model).stream().filter(r -> r.scope() == Scope.MODEL).toList();
    }

    /**
     * An account's figure for one metric and horizon, with each model's share of it.
     *
     * @param days days in the horizon: 1, or the month's length
     */
    private static Sum sum(List<LimitRule> shared, Map<String, List<LimitRule>> perModel, Metric metric, int days) {
        OptionalLong cap = bound(shared, metric, days);
        Map<String, Long> shares = new LinkedHashMap<>();
        List<String> unlimited = new ArrayList<>();
        long modelsTotal = 0;
        boolean allBounded = true;
        for (Map.Entry<String, List<LimitRule>> model : perModel.entrySet()) {
            OptionalLong own = bound(model.getValue(), metric, days);
            if (own.isPresent()) {
                modelsTotal = add(modelsTotal, own.getAsLong());
                shares.put(model.getKey(), cap.isPresent() ? Math.min(own.getAsLong(), cap.getAsLong()) : own.getAsLong());
            } else {
                allBounded = false;
                if (cap.isPresent()) {
                    shares.put(model.getKey(), cap.getAsLong());
                } else {
                    unlimited.add(model.getKey());
                }
            }
        }
        long total;
        if (cap.isPresent()) {
            total = allBounded && !perModel.isEmpty() ? Math.min(cap.getAsLong(), modelsTotal) : cap.getAsLong();
        } else {
            total = modelsTotal;
        }
        return new Sum(total, shares, List.copyOf(unlimited));
    }

    /** Monthly value of an account: each model's share of its tokens, scaled to what the account admits, × price. */
    private static double value(ProviderSpec spec, Sum tokens, List<String> unpriced) {
        long shares = tokens.shares.values().stream().mapToLong(Long::longValue).reduce(0, CapacityCalculator::add);
        if (shares == 0) {
            return 0;
        }
        double scale = Math.min(1.0, (double) tokens.total / shares);
        double value = 0;
        for (Map.Entry<String, Long> share : tokens.shares.entrySet()) {
            ModelSpec.Price price = spec.model(share.getKey()).map(ModelSpec::price).orElse(null);
            if (price == null) {
                unpriced.add(share.getKey());
                continue;
            }
            value += share.getValue() * scale * blended(price) / 1_000_000.0;
        }
        return value;
    }

    /** List price per 1M tokens, three input tokens to one output token. */
    static double blended(ModelSpec.Price price) {
        return INPUT_SHARE * price.inputPerMillion() + (1 - INPUT_SHARE) * price.outputPerMillion();
    }

    /** The smallest figure of the rules for this metric, or empty when none of them bounds it. */
    static OptionalLong bound(List<LimitRule> rules, Metric metric, int days) {
        OptionalLong smallest = smallest(rules, metric, days);
        if (metric == Metric.TOKENS) {
            OptionalLong input = smallest(rules, Metric.INPUT_TOKENS, days);
            OptionalLong output = smallest(rules, Metric.OUTPUT_TOKENS, days);
            if (input.isPresent() && output.isPresent()) {
                long both = add(input.getAsLong(), output.getAsLong());
                smallest = OptionalLong.of(smallest.isPresent() ? Math.min(smallest.getAsLong(), both) : both);
            }
        }
        return smallest;
    }

    private static OptionalLong smallest(List<LimitRule> rules, Metric metric, int days) {
        OptionalLong smallest = OptionalLong.empty();
        for (LimitRule rule : rules) {
            if (rule.metric() != metric) {
                continue;
            }
            OptionalLong scaled = scaled(rule, days);
            if (scaled.isPresent() && (smallest.isEmpty() || scaled.getAsLong() < smallest.getAsLong())) {
                smallest = scaled;
            }
        }
        return smallest;
    }

    /**
     * What one rule admits over {@code days} days (1 for a day; the month's length for a month); empty for grants
     * and concurrency caps, which bound no amount over time.
     */
    static OptionalLong scaled(LimitRule rule, int days) {
        long limit = rule.limit();
        return switch (rule.window()) {
            case MINUTE -> OptionalLong.of(times(limit, 1_440L * days));
            case HOUR -> OptionalLong.of(times(limit, 24L * days));
            case DAY -> OptionalLong.of(times(limit, days));
            case MONTH -> OptionalLong.of(limit);
            case ROLLING -> OptionalLong.of(times(limit, 86_400L * days) / rule.rolling().toSeconds());
            case GRANT, NONE -> OptionalLong.empty();
        };
    }

    /** The account's one-time grants, account-wide and per model. */
    static List<Capacity.Grant> grants(ProviderSpec spec, Account account) {
        List<Capacity.Grant> grants = new ArrayList<>();
        for (LimitRule rule : accountRules(spec, account)) {
            if (rule.window() == Window.GRANT) {
                grants.add(grant(account, null, rule));
            }
        }
        for (String model : spec.models().keySet()) {
            for (LimitRule rule : modelRules(spec, account, model)) {
                if (rule.window() == Window.GRANT) {
                    grants.add(grant(account, model, rule));
                }
            }
        }
        return grants;
    }

    private static Capacity.Grant grant(Account account, String model, LimitRule rule) {
        return new Capacity.Grant(account.id(), model, rule.metric().key(), rule.limit(),
                rule.expires() == null ? null : rule.expires().toString());
    }

    /** Saturating: a configured limit near Long.MAX_VALUE must not wrap into a negative capacity. */
    static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * @param total     what the account admits
     * @param shares    each bounded model's own figure, capped by the account's
     * @param unlimited models no rule bounds
     */
    private record Sum(long total, Map<String, Long> shares, List<String> unlimited) {
    }
}

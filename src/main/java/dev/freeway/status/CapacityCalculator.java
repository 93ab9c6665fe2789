package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Tier;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.routing.ClientScope;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The most a pool's limit rules admit per day and per month: requests, tokens, and what the free part is worth at
 * list prices. Worked out from the rules alone, never from usage; the same for every instance.
 *
 * <p><b>One rule, scaled to a horizon.</b> A horizon is one day, or the current month of {@code D} days in the
 * provider's reset zone.
 * <ul>
 *   <li>minute: limit × 1,440 a day, × 1,440·D a month; hour: × 24, × 24·D; day: × 1, × D</li>
 *   <li>month: its limit for either horizon (the whole month's allowance could be spent in one day)</li>
 *   <li>rolling N seconds: ⌊limit × 86,400 / N⌋ a day, ⌊limit × 86,400·D / N⌋ a month</li>
 *   <li>credits: C credits (micro-units of currency, a call costing tokens × list price per 1M) admit
 *       ⌊C / the model's cheaper per-token price⌋ tokens; a model without a price is "not convertible" and left
 *       out of every figure</li>
 *   <li>grant: in no daily or monthly figure: listed apart with its expiry and value, since it never renews</li>
 *   <li>concurrent requests: bound no amount over time</li>
 * </ul>
 *
 * <p><b>One model.</b> Every rule that applies to a call must admit it, so a model admits the smallest figure of its
 * own and its account's rules. Tokens are also bounded by requests × the most one request can carry (the context
 * window, or a smaller token rule, since one request must fit one window of each): Gemini 2.5 Flash's 20 requests a
 * day carry at most 20 × 250,000 tokens, however large 250,000 a minute × 1,440 is. A model that no rule bounds has
 * "no published limit" and is named apart, never counted as infinite.
 *
 * <p><b>Free or paid.</b> A model's renewing capacity is free when the model is free and a free-tier rule of it
 * renews, or when it has no amount rule at all. Otherwise (a model that is not free; a free model whose only free
 * part is a grant, as DashScope's, whose per-minute rules are {@code tier: paid}) its rules only cap billed use: its
 * figures go to the paid ceiling, which carries no value and is never added to free capacity.
 *
 * <p><b>One account.</b> Its models of one tier add up, capped by the account's shared rules (for tokens also by
 * the shared request figure × the largest request any of them can carry).
 *
 * <p><b>Value.</b> Free capacity is worth what its requests would cost at list price, assuming each carries a typical
 * request ({@code freeway.status.typical-request-*}, 1,500 input + 500 output tokens by default), never more tokens
 * than the token figure admits: value = min(requests × typical tokens, tokens) × the model's price blended in the
 * typical request's proportions. Where the account's shared rules cap its models' sum, each model's value shrinks
 * in proportion. Models without a list price count as $0 and are named in {@code unpriced}.
 *
 * <p>Providers add up their accounts (each account has its own quotas), and the pool adds up its providers. The
 * named clients' own limits, scaled the same way, divide the pool's free capacity a day ({@link ClientShares}).
 */
public class CapacityCalculator {

    static final long TYPICAL_INPUT_TOKENS = 1_500;
    static final long TYPICAL_OUTPUT_TOKENS = 500;

    static final String BASIS = "Per rule: minute x1440 a day, hour x24, day x1, month = its limit (it could all be"
            + " spent in one day), rolling N seconds x86400/N, credits / the model's per-token list price; monthly"
            + " figures use the current month's days in the provider's zone. A model admits the smallest figure of"
            + " every rule that applies to it, and never more tokens than its requests x the most one request can"
            + " carry (context window or a smaller token rule). A model's capacity is free when it is free and a"
            + " free-tier rule of it renews; rules marked tier: paid (or a model that is not free) only cap billed"
            + " use and make up the paid ceiling, never added to free capacity. An account adds up its models,"
            + " capped by its account-wide rules; providers add up accounts. Models no rule bounds are named under"
            + " no_published_limit and left out. Grants are listed apart with their expiry and are in no daily or"
            + " monthly figure.";

    private final Clock clock;
    private final long typicalInput;
    private final long typicalOutput;

    public CapacityCalculator(Clock clock) {
        this(clock, TYPICAL_INPUT_TOKENS, TYPICAL_OUTPUT_TOKENS);
    }

    public CapacityCalculator(Clock clock, long typicalInput, long typicalOutput) {
        if (typicalInput < 0 || typicalOutput < 0 || typicalInput + typicalOutput == 0) {
            throw new IllegalArgumentException("a typical request needs a positive number of tokens");
        }
        this.clock = clock;
        this.typicalInput = typicalInput;
        this.typicalOutput = typicalOutput;
    }

    public Capacity.Report pool(Pool pool) {
        return pool(pool, List.of());
    }

    /** The pool's figures, and how its free capacity a day divides among these named clients' own limits. */
    public Capacity.Report pool(Pool pool, List<ClientScope> clients) {
        List<Capacity.ProviderCapacity> providers = new ArrayList<>();
        Capacity.Split total = Capacity.Split.NONE;
        for (ProviderPool provider : pool.all()) {
            if (provider.accounts().isEmpty()) {
                continue;
            }
            Capacity.ProviderCapacity capacity = provider(provider);
            providers.add(capacity);
            total = total.plus(capacity.capacity().named(provider.name()));
        }
        return new Capacity.Report(List.copyOf(providers), total, valueBasis(), BASIS,
                ClientShares.of(clients, total.free(), clock));
    }

    public Capacity.ProviderCapacity provider(ProviderPool provider) {
        int days = YearMonth.from(clock.instant().atZone(provider.spec().resetZone())).lengthOfMonth();
        List<Capacity.AccountCapacity> accounts = new ArrayList<>();
        List<Capacity.Grant> grants = new ArrayList<>();
        Capacity.Split sum = Capacity.Split.NONE;
        for (Account account : provider.accounts()) {
            Capacity.AccountCapacity capacity = account(provider.spec(), account, days);
            accounts.add(capacity);
            grants.addAll(grants(provider.spec(), account));
            sum = sum.plus(capacity.capacity());
        }
        return new Capacity.ProviderCapacity(provider.name(), accounts.size(), days, sum, List.copyOf(accounts),
                List.copyOf(grants));
    }

    /** One account's figures, for a month of {@code days} days. */
    Capacity.AccountCapacity account(ProviderSpec spec, Account account, int days) {
        List<LimitRule> shared = accountRules(spec, account);
        List<ModelCapacity> day = new ArrayList<>();
        List<ModelCapacity> month = new ArrayList<>();
        for (ModelSpec model : spec.models().values()) {
            if (model.isEmbedding()) {
                continue; // vectors are not chat capacity: an embedding model's limits are its own
            }
            List<LimitRule> rules = new ArrayList<>(shared);
            rules.addAll(modelRules(spec, account, model.id()));
            day.add(ModelCapacity.of(model.id(), model, rules, 1));
            month.add(ModelCapacity.of(model.id(), model, rules, days));
        }
        TierTotal free = new TierTotal(Tier.FREE, shared, day, month, days, this);
        TierTotal paid = new TierTotal(Tier.PAID, shared, day, month, days, this);
        List<Capacity.ModelRow> rows = new ArrayList<>();
        for (ModelCapacity model : day) {
            rows.add(row(model, model.tier() == Tier.FREE ? free.value(model.model()) : null));
        }
        return new Capacity.AccountCapacity(account.id(), new Capacity.Split(free.figures(), paid.figures()),
                List.copyOf(rows));
    }

    private static Capacity.ModelRow row(ModelCapacity model, Double value) {
        String note = !model.convertible() ? "bound by a credit allowance the catalog cannot turn into tokens (no"
                + " list price): left out of the figures"
                : model.requests().isEmpty() && model.tokens().isEmpty() ? "no published limit"
                : model.spec() != null && model.spec().price() == null && model.tier() == Tier.FREE
                ? "no list price: counted as $0" : null;
        return new Capacity.ModelRow(model.model(), model.tier().key(),
                model.requests().map(Bound::value).orElse(null), model.requests().map(Bound::by).orElse(null),
                model.tokens().map(Bound::value).orElse(null), model.tokens().map(Bound::by).orElse(null),
                model.perRequest().map(Bound::value).orElse(null), value, note);
    }

    /** List price per token of a typical request: input and output priced apart, in its proportions. */
    double typicalPricePerToken(ModelSpec.Price price) {
        return (typicalInput * price.inputPerMillion() + typicalOutput * price.outputPerMillion())
                / (typicalInput + typicalOutput) / 1_000_000.0;
    }

    long typicalTokens() {
        return typicalInput + typicalOutput;
    }

    private Capacity.ValueBasis valueBasis() {
        return new Capacity.ValueBasis(typicalInput, typicalOutput, "Value = min(requests a month x a typical request"
                + " of " + typicalInput + " input + " + typicalOutput + " output tokens, tokens a month) x each"
                + " model's list price per 1M tokens (input and output apart, dated in the catalog); paid ceilings"
                + " carry no value. Set freeway.status.typical-request-input-tokens / -output-tokens to your own.");
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
     * The smallest figure of the rules for this metric over {@code days} days, or empty when none of them bounds
     * it. For tokens, an input-token and an output-token rule together also bound tokens, by their sum.
     */
    static Optional<Bound> bound(List<LimitRule> rules, Metric metric, int days) {
        Optional<Bound> smallest = smallest(rules, metric, days);
        if (metric == Metric.TOKENS) {
            Optional<Bound> input = smallest(rules, Metric.INPUT_TOKENS, days);
            Optional<Bound> output = smallest(rules, Metric.OUTPUT_TOKENS, days);
            if (input.isPresent() && output.isPresent()) {
                smallest = Bound.smaller(smallest, Optional.of(new Bound(Saturating.add(input.get().value(),
                        output.get().value()), input.get().by() + " + " + output.get().by())));
            }
        }
        return smallest;
    }

    private static Optional<Bound> smallest(List<LimitRule> rules, Metric metric, int days) {
        Optional<Bound> smallest = Optional.empty();
        for (LimitRule rule : rules) {
            OptionalLong scaled = rule.metric() == metric ? scaled(rule, days) : OptionalLong.empty();
            if (scaled.isPresent()) {
                smallest = Bound.smaller(smallest, Optional.of(new Bound(scaled.getAsLong(), label(rule))));
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
            case MINUTE -> OptionalLong.of(Saturating.times(limit, 1_440L * days));
            case HOUR -> OptionalLong.of(Saturating.times(limit, 24L * days));
            case DAY -> OptionalLong.of(Saturating.times(limit, days));
            case MONTH -> OptionalLong.of(limit);
            case ROLLING -> OptionalLong.of(Saturating.times(limit, 86_400L * days) / rule.rolling().toSeconds());
            case GRANT, NONE -> OptionalLong.empty();
        };
    }

    /** A rule as the basis names it: "requests/day", "account tokens/rolling 60s". */
    static String label(LimitRule rule) {
        String window = rule.window() == Window.ROLLING ? "rolling " + rule.rolling().toSeconds() + "s"
                : rule.window().key();
        return (rule.scope() == Scope.ACCOUNT ? "account " : "") + rule.metric().key() + "/" + window;
    }

    /** The account's one-time grants, account-wide and per model. */
    List<Capacity.Grant> grants(ProviderSpec spec, Account account) {
        List<Capacity.Grant> grants = new ArrayList<>();
        for (LimitRule rule : accountRules(spec, account)) {
            if (rule.window() == Window.GRANT) {
                grants.add(grant(account, null, rule));
            }
        }
        for (ModelSpec model : spec.models().values()) {
            if (model.isEmbedding()) {
                continue; // an embedding model's grant buys vectors, not chat: not the pool's chat capacity
            }
            for (LimitRule rule : modelRules(spec, account, model.id())) {
                if (rule.window() == Window.GRANT) {
                    Capacity.Grant grant = grant(account, model.id(), rule);
                    boolean tokens = rule.metric() == Metric.TOKENS;
                    grants.add(model.price() == null || !tokens ? grant : new Capacity.Grant(grant.account(),
                            grant.model(), grant.metric(), grant.limit(), grant.expires(),
                            rule.limit() * typicalPricePerToken(model.price())));
                }
            }
        }
        return grants;
    }

    private static Capacity.Grant grant(Account account, String model, LimitRule rule) {
        return new Capacity.Grant(account.id(), model, rule.metric().key(), rule.limit(),
                rule.expires() == null ? null : rule.expires().toString(), null);
    }
}

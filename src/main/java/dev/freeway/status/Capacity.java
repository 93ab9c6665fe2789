package dev.freeway.status;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@link CapacityCalculator} finds: the most a pool's limit rules admit per day and per month, free capacity
 * apart from the ceiling that paid rate limits put on billed use.
 */
public final class Capacity {

    private Capacity() {
    }

    /**
     * The whole pool.
     *
     * @param providers  per configured provider, in configuration order
     * @param total      the providers added up
     * @param valueBasis the typical request the value estimate assumes
     * @param basis      how the figures are worked out, in one paragraph
     * @param clients    how the free daily capacity divides among the named clients' own limits
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    // Written by Jackson through reflection: a native image needs every record of the report registered.
    @RegisterForReflection(targets = {
            Capacity.Report.class, Capacity.ProviderCapacity.class, Capacity.AccountCapacity.class,
            Capacity.Grant.class, Capacity.Figures.class, Capacity.Split.class, Capacity.ModelRow.class,
            Capacity.ValueBasis.class, Capacity.ClientDivision.class, Capacity.ClientShare.class,
            Capacity.Division.class})
    public record Report(List<ProviderCapacity> providers, Split total, ValueBasis valueBasis, String basis,
                         ClientDivision clients) {
    }

    /**
     * How the pool's free capacity a day divides among the named clients (see {@link ClientShares}).
     *
     * @param clients        each client with a request or token limit, by name
     * @param withoutLimits  named clients with neither: they share {@code left_for_others}
     * @param requestsPerDay the clients' request limits a day added up, against the pool's free requests a day
     * @param tokensPerDay   the same for tokens
     * @param basis          how it is worked out
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ClientDivision(List<ClientShare> clients, List<String> withoutLimits, Division requestsPerDay,
                                 Division tokensPerDay, String basis) {
    }

    /**
     * One client's own limits as capacity: null where no rule of it bounds the figure.
     *
     * @param requestsPerDayPercent its requests a day, in percent of the pool's free requests a day
     * @param tokensPerDayPercent   its tokens a day, in percent of the pool's free tokens a day
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ClientShare(String name, Long requestsPerDay, Long tokensPerDay, Long requestsPerMonth,
                              Long tokensPerMonth, Double requestsPerDayPercent, Double tokensPerDayPercent) {
    }

    /**
     * The clients' limits added up against the pool.
     *
     * @param pool             the pool's free capacity a day
     * @param clients          the limited clients' limits a day, added up
     * @param oversubscribed   whether they add up to more than the pool
     * @param oversubscribedBy by how much (0 when not)
     * @param leftForOthers    what they leave: for requests from no named client and clients without such a limit
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Division(long pool, long clients, boolean oversubscribed, long oversubscribedBy,
                           long leftForOthers) {
    }

    /**
     * Free capacity and the paid ceiling, never added together.
     *
     * @param free        what free allowances admit (renewing rules of free models)
     * @param paidCeiling what the rate limits of billed use would admit: models that are not free, and free models
     *                    whose only free part is a grant; it carries no value, since every call of it is paid for
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Split(Figures free, Figures paidCeiling) {

        public static final Split NONE = new Split(Figures.NONE, Figures.PAID_NONE);

        Split plus(Split other) {
            return new Split(free.plus(other.free), paidCeiling.plus(other.paidCeiling));
        }

        Split named(String provider) {
            return new Split(free.named(provider), paidCeiling.named(provider));
        }
    }

    /**
     * One provider: its accounts added up.
     *
     * @param daysInMonth days of the current month in the provider's reset zone, which the monthly figures use
     * @param grants      one-time grants, apart from every daily and monthly figure
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderCapacity(String name, int accounts, int daysInMonth, Split capacity,
                                   List<AccountCapacity> byAccount, List<Grant> grants) {
    }

    /** @param models each model's own figures, before the account-wide rules cap their sum */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccountCapacity(String id, Split capacity, List<ModelRow> models) {
    }

    /**
     * One model at one account, a day.
     *
     * @param tier            free, or paid when only a paid ceiling bounds it
     * @param requestsPerDay  null when no published limit bounds it
     * @param requestsBound   what bounds it, e.g. "requests/day" or "account requests/minute x1440"
     * @param tokensPerDay    null when no published limit bounds it
     * @param tokensBound     what bounds it, e.g. "20 requests x 250,000 tokens a request"
     * @param tokensPerRequest the most one request can carry: its context window, or a smaller token rule
     * @param valuePerMonthUsd its share of the account's free value a month; null for paid or unpriced models
     * @param note            why a figure is missing, when one is
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelRow(String model, String tier, Long requestsPerDay, String requestsBound, Long tokensPerDay,
                           String tokensBound, Long tokensPerRequest, Double valuePerMonthUsd, String note) {
    }

    /**
     * A one-time grant.
     *
     * @param model    the model it is for, or null when it is the account's
     * @param expires  its last day (in the provider's zone), or null when the catalog does not know it
     * @param valueUsd the grant at list price, split as the typical request splits; null when unpriced or not tokens
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Grant(String account, String model, String metric, long limit, String expires, Double valueUsd) {
    }

    /**
     * The request the value estimate assumes: value counts admitted requests of this size, never more tokens than
     * the token figures admit.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ValueBasis(long inputTokens, long outputTokens, String text) {
    }

    /**
     * Daily and monthly figures. Models that no published limit bounds are named apart and left out of the figures,
     * which would otherwise be infinite.
     *
     * @param valuePerMonthUsd         list-price value a month (see {@link CapacityCalculator}); null for a paid
     *                                 ceiling, whose calls are paid for
     * @param noPublishedLimitRequests models whose requests no rule bounds
     * @param noPublishedLimitTokens   models whose tokens no rule bounds
     * @param notConvertible           models bounded by a credit allowance the catalog cannot turn into tokens (no
     *                                 list price): left out of every figure
     * @param unpriced                 models whose tokens count but that have no list price (worth $0 here)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Figures(long requestsPerDay, long requestsPerMonth, long tokensPerDay, long tokensPerMonth,
                          Double valuePerMonthUsd, List<String> noPublishedLimitRequests,
                          List<String> noPublishedLimitTokens, List<String> notConvertible, List<String> unpriced) {

        public static final Figures NONE = new Figures(0, 0, 0, 0, 0.0, List.of(), List.of(), List.of(), List.of());
        static final Figures PAID_NONE = new Figures(0, 0, 0, 0, null, List.of(), List.of(), List.of(), List.of());

        public Figures plus(Figures other) {
            Double value = valuePerMonthUsd == null || other.valuePerMonthUsd == null ? null
                    : valuePerMonthUsd + other.valuePerMonthUsd;
            return new Figures(Saturating.add(requestsPerDay, other.requestsPerDay),
                    Saturating.add(requestsPerMonth, other.requestsPerMonth),
                    Saturating.add(tokensPerDay, other.tokensPerDay),
                    Saturating.add(tokensPerMonth, other.tokensPerMonth), value,
                    union(noPublishedLimitRequests, other.noPublishedLimitRequests),
                    union(noPublishedLimitTokens, other.noPublishedLimitTokens),
                    union(notConvertible, other.notConvertible), union(unpriced, other.unpriced));
        }

        /** The same figures with each model name prefixed by its provider, for the pool's total. */
        Figures named(String provider) {
            return new Figures(requestsPerDay, requestsPerMonth, tokensPerDay, tokensPerMonth, valuePerMonthUsd,
                    prefixed(provider, noPublishedLimitRequests), prefixed(provider, noPublishedLimitTokens),
                    prefixed(provider, notConvertible), prefixed(provider, unpriced));
        }

        private static List<String> union(List<String> a, List<String> b) {
            LinkedHashSet<String> all = new LinkedHashSet<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }

        private static List<String> prefixed(String provider, List<String> models) {
            List<String> named = new ArrayList<>();
            models.forEach(m -> named.add(provider + "/" + m));
            return List.copyOf(named);
        }
    }
}

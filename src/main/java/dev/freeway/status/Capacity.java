package dev.freeway.status;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** What {@link CapacityCalculator} finds: the most a pool's limit rules admit per day and per month. */
public final class Capacity {

    private Capacity() {
    }

    /**
     * The whole pool.
     *
     * @param providers per configured provider, in configuration order
     * @param total     the providers added up
     * @param basis     how the figures are worked out, in one paragraph
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    // Written by Jackson through reflection: a native image needs every record of the report registered.
    @RegisterForReflection(targets = {
            Capacity.Report.class, Capacity.ProviderCapacity.class, Capacity.AccountCapacity.class,
            Capacity.Grant.class, Capacity.Figures.class})
    public record Report(List<ProviderCapacity> providers, Figures total, String basis) {
    }

    /**
     * One provider: its accounts added up.
     *
     * @param daysInMonth days of the current month in the provider's reset zone, which the monthly figures use
     * @param grants      one-time grants, apart from every daily and monthly figure
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderCapacity(String name, int accounts, int daysInMonth, Figures capacity,
                                   List<AccountCapacity> byAccount, List<Grant> grants) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccountCapacity(String id, Figures capacity) {
    }

    /**
     * A one-time grant.
     *
     * @param model   the model it is for, or null when it is the account's
     * @param expires its last day (in the provider's zone), or null when the catalog does not know it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Grant(String account, String model, String metric, long limit, String expires) {
    }

    /**
     * Daily and monthly figures. Models no rule limits are named apart and left out of the figures, which would
     * otherwise be infinite.
     *
     * @param valuePerMonthUsd  list-price value of {@code tokensPerMonth}, in USD (see {@link CapacityCalculator})
     * @param unlimitedRequests models whose requests no rule limits
     * @param unlimitedTokens   models whose tokens no rule limits (they count in no value either)
     * @param unpriced          models whose tokens count but that have no list price in the catalog
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Figures(long requestsPerDay, long requestsPerMonth, long tokensPerDay, long tokensPerMonth,
                          double valuePerMonthUsd, List<String> unlimitedRequests, List<String> unlimitedTokens,
                          List<String> unpriced) {

        public static final Figures NONE = new Figures(0, 0, 0, 0, 0, List.of(), List.of(), List.of());

        public Figures plus(Figures other) {
            return new Figures(CapacityCalculator.add(requestsPerDay, other.requestsPerDay),
                    CapacityCalculator.add(requestsPerMonth, other.requestsPerMonth),
                    CapacityCalculator.add(tokensPerDay, other.tokensPerDay),
                    CapacityCalculator.add(tokensPerMonth, other.tokensPerMonth),
                    valuePerMonthUsd + other.valuePerMonthUsd, union(unlimitedRequests, other.unlimitedRequests),
                    union(unlimitedTokens, other.unlimitedTokens), union(unpriced, other.unpriced));
        }

        /** The same figures with each model name prefixed by its provider, for the pool's total. */
        Figures named(String provider) {
            return new Figures(requestsPerDay, requestsPerMonth, tokensPerDay, tokensPerMonth, valuePerMonthUsd,
                    prefixed(provider, unlimitedRequests), prefixed(provider, unlimitedTokens),
                    prefixed(provider, unpriced));
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

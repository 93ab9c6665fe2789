package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Tier;
import dev.freeway.catalog.ModelSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One account's models of one tier (free, or the paid ceiling), added up and capped by the account's shared rules,
 * with each free model's share of the value (see {@link CapacityCalculator}).
 */
final class TierTotal {

    private final Capacity.Figures figures;
    private final Map<String, Double> values = new LinkedHashMap<>();

    TierTotal(Tier tier, List<LimitRule> shared, List<ModelCapacity> day, List<ModelCapacity> month, int days,
              CapacityCalculator calculator) {
        List<ModelCapacity> today = day.stream().filter(m -> m.tier() == tier).toList();
        List<ModelCapacity> thisMonth = month.stream().filter(m -> m.tier() == tier).toList();
        Sum daily = sum(shared, today, 1);
        Sum monthly = sum(shared, thisMonth, days);
        Double value = tier == Tier.FREE ? value(thisMonth, monthly, calculator) : null;
        figures = new Capacity.Figures(daily.requests, monthly.requests, daily.tokens, monthly.tokens, value,
                names(today, m -> m.convertible() && m.requests().isEmpty()),
                names(today, m -> m.convertible() && m.tokens().isEmpty()),
                names(today, m -> !m.convertible()),
                tier == Tier.FREE ? names(today, m -> m.convertible() && m.tokens().isPresent() && unpriced(m))
                        : List.of());
    }

    Capacity.Figures figures() {
        return figures;
    }

    /** A free model's share of the account's value a month, or null when it has none (no limit, or paid). */
    Double value(String model) {
        return values.get(model);
    }

    /** What the tier's models admit together, after the account's shared rules. */
    private record Sum(long requests, long tokens) {
    }

    /** The models' figures added up, each capped by the account-wide rule for it; unbounded models left out. */
    private static Sum sum(List<LimitRule> shared, List<ModelCapacity> models, int days) {
        List<ModelCapacity> counted = models.stream().filter(ModelCapacity::convertible).toList();
        long requests = 0;
        long tokens = 0;
        for (ModelCapacity model : counted) {
            requests = Saturating.add(requests, model.requests().map(Bound::value).orElse(0L));
            tokens = Saturating.add(tokens, model.tokens().map(Bound::value).orElse(0L));
        }
        Optional<Bound> requestCap = CapacityCalculator.bound(shared, Metric.REQUESTS, days);
        Optional<Bound> tokenCap = CapacityCalculator.bound(shared, Metric.TOKENS, days);
        boolean allCarry = !counted.isEmpty() && counted.stream().allMatch(m -> m.perRequest().isPresent());
        if (requestCap.isPresent() && allCarry) {
            long largest = counted.stream().mapToLong(m -> m.perRequest().get().value()).max().orElse(0);
            tokenCap = Bound.smaller(tokenCap, Optional.of(new Bound(Saturating.times(requestCap.get().value(),
                    largest), "account requests x largest request")));
        }
        return new Sum(capped(requestCap, requests), capped(tokenCap, tokens));
    }

    private static long capped(Optional<Bound> cap, long sum) {
        return cap.map(c -> Math.min(c.value(), sum)).orElse(sum);
    }

    /**
     * Each model's month: min(requests × the typical request, tokens) at its typical-request price; scaled down
     * together when the account's shared rules admit less than its models add up to.
     */
    private Double value(List<ModelCapacity> models, Sum month, CapacityCalculator calculator) {
        Map<String, Long> carried = new LinkedHashMap<>();
        long carriedSum = 0;
        long requestSum = 0;
        for (ModelCapacity model : models) {
            Optional<Long> tokens = valueTokens(model, calculator.typicalTokens());
            if (tokens.isPresent()) {
                carried.put(model.model(), tokens.get());
                carriedSum = Saturating.add(carriedSum, tokens.get());
                requestSum = Saturating.add(requestSum, model.requests().map(Bound::value).orElse(0L));
            }
        }
        double scale = 1.0;
        if (carriedSum > month.tokens) {
            scale = (double) month.tokens / carriedSum;
        }
        if (requestSum > month.requests) {
            scale = Math.min(scale, (double) month.requests / requestSum);
        }
        double total = 0;
        for (ModelCapacity model : models) {
            Long tokens = carried.get(model.model());
            if (tokens == null) {
                continue;
            }
            ModelSpec.Price price = model.spec() == null ? null : model.spec().price();
            double value = price == null ? 0 : tokens * scale * calculator.typicalPricePerToken(price);
            values.put(model.model(), price == null ? null : value);
            total += value;
        }
        return total;
    }

    private static Optional<Long> valueTokens(ModelCapacity model, long typical) {
        if (!model.convertible()) {
            return Optional.empty();
        }
        Optional<Long> tokens = model.tokens().map(Bound::value);
        if (model.requests().isEmpty()) {
            return tokens;
        }
        long asked = Saturating.times(model.requests().get().value(), typical);
        return Optional.of(Math.min(asked, tokens.orElse(Long.MAX_VALUE)));
    }

    private static boolean unpriced(ModelCapacity model) {
        return model.spec() == null || model.spec().price() == null;
    }

    private static List<String> names(List<ModelCapacity> models, java.util.function.Predicate<ModelCapacity> which) {
        List<String> names = new ArrayList<>();
        models.stream().filter(which).forEach(m -> names.add(m.model()));
        return List.copyOf(names);
    }
}

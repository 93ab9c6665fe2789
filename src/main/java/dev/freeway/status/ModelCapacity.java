package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Tier;
import dev.freeway.catalog.ModelSpec;

import java.util.List;
import java.util.Optional;

/**
 * One model at one account over a horizon of some days, before the account's shared rules cap the sum of its models
 * (see {@link CapacityCalculator} for the arithmetic).
 *
 * @param tier        FREE when its renewing capacity is a free allowance, PAID when only paid rate limits bound it
 * @param requests    the requests its rules admit, or empty when no published limit bounds them
 * @param tokens      the tokens they admit, or empty when no published limit bounds them
 * @param perRequest  the most one request can carry, or empty when nothing bounds it
 * @param convertible false when a credit allowance binds it that the catalog cannot turn into tokens (no price)
 */
record ModelCapacity(String model, ModelSpec spec, Tier tier, Optional<Bound> requests, Optional<Bound> tokens,
                     Optional<Bound> perRequest, boolean convertible) {

    /** @param rules every rule that applies to a call of the model: the account's shared ones and its own */
    static ModelCapacity of(String model, ModelSpec spec, List<LimitRule> rules, int days) {
        Optional<Bound> requests = CapacityCalculator.bound(rules, Metric.REQUESTS, days);
        Optional<Bound> perRequest = perRequest(spec, rules);
        Optional<Bound> tokens = CapacityCalculator.bound(rules, Metric.TOKENS, days);
        boolean convertible = true;
        for (LimitRule rule : rules) {
            if (rule.metric() != Metric.CREDITS || !rule.renews()) {
                continue;
            }
            convertible &= spec != null && spec.price() != null;
            tokens = Bound.smaller(tokens, creditTokens(spec, rule, days));
        }
        if (requests.isPresent() && perRequest.isPresent()) {
            long carried = Saturating.times(requests.get().value(), perRequest.get().value());
            tokens = Bound.smaller(tokens, Optional.of(new Bound(carried, DashboardView.number(requests.get().value())
                    + " requests x " + DashboardView.number(perRequest.get().value()) + " tokens a request ("
                    + perRequest.get().by() + ")")));
        }
        return new ModelCapacity(model, spec, tier(spec, rules), requests, tokens, perRequest, convertible);
    }

    /**
     * Free when the model is free and a free-tier rule of it renews, or when no rule bounds any amount of it (then
     * it has no published limit); otherwise its renewing capacity is billed and only a paid ceiling.
     */
    static Tier tier(ModelSpec spec, List<LimitRule> rules) {
        if (spec != null && !spec.free()) {
            return Tier.PAID;
        }
        List<LimitRule> amounts = rules.stream().filter(r -> r.metric() != Metric.CONCURRENT_REQUESTS).toList();
        boolean freeRenews = amounts.stream().anyMatch(r -> r.renews() && r.tier() == Tier.FREE);
        return amounts.isEmpty() || freeRenews ? Tier.FREE : Tier.PAID;
    }

    /** One request must fit the context window and a single window of every token rule, grants included. */
    static Optional<Bound> perRequest(ModelSpec spec, List<LimitRule> rules) {
        Optional<Bound> most = spec == null || spec.contextWindow() <= 0 ? Optional.empty()
                : Optional.of(new Bound(spec.contextWindow(), "context window"));
        Optional<Bound> input = Optional.empty();
        Optional<Bound> output = Optional.empty();
        for (LimitRule rule : rules) {
            Optional<Bound> one = Optional.of(new Bound(rule.limit(), CapacityCalculator.label(rule)));
            switch (rule.metric()) {
                case TOKENS -> most = Bound.smaller(most, one);
                case INPUT_TOKENS -> input = Bound.smaller(input, one);
                case OUTPUT_TOKENS -> output = Bound.smaller(output, one);
                default -> { }
            }
        }
        if (input.isPresent() && output.isPresent()) {
            most = Bound.smaller(most, Optional.of(new Bound(Saturating.add(input.get().value(),
                    output.get().value()), input.get().by() + " + " + output.get().by())));
        }
        return most;
    }

    /**
     * Credits are micro-units of the provider's currency and a call costs its tokens x the list price per 1M
     * tokens, so an allowance of C credits admits at most C / (the cheaper per-token price) tokens. Empty without a
     * price (the allowance cannot be turned into tokens) or at a price of 0 (calls spend no credits).
     */
    private static Optional<Bound> creditTokens(ModelSpec spec, LimitRule rule, int days) {
        ModelSpec.Price price = spec == null ? null : spec.price();
        if (price == null) {
            return Optional.empty();
        }
        double cheapest = Math.min(price.inputPerMillion(), price.outputPerMillion());
        if (cheapest <= 0) {
            return Optional.empty();
        }
        long credits = CapacityCalculator.scaled(rule, days).orElse(0);
        return Optional.of(new Bound((long) Math.floor(credits / cheapest), CapacityCalculator.label(rule)
                + " / list price"));
    }
}

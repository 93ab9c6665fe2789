package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.UsageCounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Today's requests against the free daily request capacity, never mixing the two: only requests on models the
 * capacity counts are compared with it; requests on the others (no daily limit, a paid ceiling only) are counted
 * apart and named.
 */
final class DailySummary {

    private DailySummary() {
    }

    static StatusReport.Summary provider(ProviderPool provider, Capacity.ProviderCapacity capacity,
                                         Map<String, UsageCounts> today) {
        Map<String, String> outside = outside(capacity);
        boolean sharedFreeRule = provider.accounts().stream().anyMatch(a -> CapacityCalculator
                .accountRules(provider.spec(), a).stream().anyMatch(DailySummary::freeRequestRule));
        long within = 0;
        long apart = 0;
        for (Map.Entry<String, UsageCounts> model : today.entrySet()) {
            boolean counted = !outside.containsKey(model.getKey())
                    && (sharedFreeRule || provider.spec().models().containsKey(model.getKey()));
            if (counted) {
                within += model.getValue().requests();
            } else {
                apart += model.getValue().requests();
            }
        }
        Capacity.Figures free = capacity.capacity().free();
        boolean hasCapacity = free.requestsPerDay() > 0;
        List<String> why = new ArrayList<>();
        outside.forEach((model, reason) -> why.add(model + ": " + reason));
        return summary(provider.accounts().size(), hasCapacity ? free.requestsPerDay() : null, within, apart, why);
    }

    static StatusReport.Summary total(List<StatusReport.ProviderStatus> providers) {
        int accounts = 0;
        Long capacity = null;
        long within = 0;
        long apart = 0;
        LinkedHashSet<String> why = new LinkedHashSet<>();
        for (StatusReport.ProviderStatus provider : providers) {
            StatusReport.Summary s = provider.summary();
            accounts += s.accounts();
            if (s.dailyRequestCapacity() != null) {
                capacity = Saturating.add(capacity == null ? 0 : capacity, s.dailyRequestCapacity());
            }
            within += s.usedWithinCapacity();
            apart += s.usedOutsideCapacity();
            s.outsideCapacity().forEach(m -> why.add(provider.name() + "/" + m));
        }
        return summary(accounts, capacity, within, apart, List.copyOf(why));
    }

    private static StatusReport.Summary summary(int accounts, Long capacity, long within, long apart,
                                                List<String> outside) {
        Long remaining = capacity == null ? null : Math.max(0, capacity - within);
        Double percent = capacity == null ? null : Times.percent(within, capacity);
        return new StatusReport.Summary(accounts, capacity, within + apart, within, remaining, percent, apart,
                List.copyOf(outside));
    }

    /** Models the free daily capacity leaves out, and why: they are free of daily limits or only paid for. */
    private static Map<String, String> outside(Capacity.ProviderCapacity capacity) {
        Map<String, String> outside = new LinkedHashMap<>();
        Map<String, Boolean> countedSomewhere = new LinkedHashMap<>();
        for (Capacity.AccountCapacity account : capacity.byAccount()) {
            for (Capacity.ModelRow row : account.models()) {
                boolean counted = "free".equals(row.tier()) && row.requestsPerDay() != null
                        && !account.capacity().free().notConvertible().contains(row.model());
                countedSomewhere.merge(row.model(), counted, Boolean::logicalOr);
                if (!counted) {
                    outside.putIfAbsent(row.model(), !"free".equals(row.tier()) ? "paid ceiling only"
                            : row.requestsPerDay() == null ? "no daily limit" : "credit allowance not convertible");
                }
            }
        }
        countedSomewhere.forEach((model, counted) -> {
            if (counted) {
                outside.remove(model);
            }
        });
        return outside;
    }

    private static boolean freeRequestRule(LimitRule rule) {
        return rule.metric() == LimitRule.Metric.REQUESTS && rule.renews() && rule.tier() == LimitRule.Tier.FREE;
    }
}

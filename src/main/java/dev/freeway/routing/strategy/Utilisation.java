package dev.freeway.routing.strategy;

import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.RuleUsage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How full each account is for a model: its fullest rule, read from the quota store for all accounts at once. */
final class Utilisation {

    private Utilisation() {
    }

    /**
     * Each account's, 0 (empty) to 1 (full), in the order given; 0 when Redis cannot say: ordering is a preference,
     * and reserve reports the trouble.
     */
    static Map<Account, Double> of(QuotaStore quota, Choice choice, List<Account> accounts) {
        ProviderSpec spec = choice.provider().spec();
        List<QuotaStore.Snapshot> asked = accounts.stream().map(account -> new QuotaStore.Snapshot(account.quotaId(),
                choice.model(), account.rulesFor(spec, choice.model()), spec.resetZone())).toList();
        List<List<RuleUsage>> usage;
        try {
            usage = quota.snapshotEach(asked);
        } catch (QuotaUnavailableException e) {
            usage = accounts.stream().map(a -> List.<RuleUsage>of()).toList();
        }
        Map<Account, Double> used = new LinkedHashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            used.put(accounts.get(i), fullest(usage.get(i)));
        }
        return used;
    }

    private static double fullest(List<RuleUsage> usage) {
        return usage.stream().filter(u -> u.limit() > 0).mapToDouble(u -> Math.min(1.0, (double) u.used() / u.limit()))
                .max().orElse(0);
    }
}

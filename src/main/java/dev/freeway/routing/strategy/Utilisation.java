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
        List<List<RuleUsage>> usage;
        try {
            usage = quota.snapshotEach(asked(choice, accounts));
        } catch (QuotaUnavailableException e) {
            usage = accounts.stream().map(a -> List.<RuleUsage>of()).toList();
        }
        Map<Account, Double> used = new LinkedHashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            used.put(accounts.get(i), fullest(usage.get(i)));
        }
        return used;
    }

    /**
     * Each account's standing, in the order given, in one round trip; when Redis cannot say, empty and unmeasured
     * (as {@link #of}: ordering is a preference, and reserve reports the trouble).
     */
    static List<QuotaStore.Standing> standings(QuotaStore quota, Choice choice, List<Account> accounts) {
        try {
            return quota.standingEach(asked(choice, accounts));
        } catch (QuotaUnavailableException e) {
            return accounts.stream().map(a -> new QuotaStore.Standing(List.of(), java.util.Optional.empty())).toList();
        }
    }

    private static List<QuotaStore.Snapshot> asked(Choice choice, List<Account> accounts) {
        ProviderSpec spec = choice.provider().spec();
        return accounts.stream().map(account -> new QuotaStore.Snapshot(account.quotaId(), choice.model(),
                account.rulesFor(spec, choice.model()), spec.resetZone())).toList();
    }

    /** How full the fullest of these rules is, 0 to 1. */
    static double fullest(List<RuleUsage> usage) {
        return usage.stream().filter(u -> u.limit() > 0).mapToDouble(u -> Math.min(1.0, (double) u.used() / u.limit()))
                .max().orElse(0);
    }
}

package dev.freeway.routing.strategy;

import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.RuleUsage;

import java.util.List;

/** How full an account is for a model: its fullest rule, read from the quota store. */
final class Utilisation {

    private Utilisation() {
    }

    /** 0 (empty) to 1 (full); 0 when Redis cannot say: ordering is a preference, and reserve reports the trouble. */
    static double of(QuotaStore quota, Choice choice, Account account) {
        ProviderSpec spec = choice.provider().spec();
        List<RuleUsage> usage;
        try {
            usage = quota.snapshot(account.quotaId(), choice.model(), account.rulesFor(spec, choice.model()),
                    spec.resetZone());
        } catch (QuotaUnavailableException e) {
            return 0;
        }
        return usage.stream().filter(u -> u.limit() > 0).mapToDouble(u -> Math.min(1.0, (double) u.used() / u.limit()))
                .max().orElse(0);
    }
}

package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.quota.QuotaStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The account with the lowest utilisation (its fullest rule) first; ties in configuration order. */
@ApplicationScoped
public class LeastUsedStrategy implements AccountStrategy {

    private final QuotaStore quota;

    public LeastUsedStrategy(QuotaStore quota) {
        this.quota = quota;
    }

    @Override
    public LoadBalancing balancing() {
        return LoadBalancing.LEAST_USED;
    }

    @Override
    public List<Account> order(Choice choice) {
        Map<Account, Double> used = Utilisation.of(quota, choice, choice.accounts());
        List<Account> ordered = new ArrayList<>(choice.accounts());
        ordered.sort(Comparator.comparingDouble(used::get));
        return ordered;
    }
}

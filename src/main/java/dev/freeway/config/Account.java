package dev.freeway.config;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.ProviderSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One quota scope at a provider, with its keys. Limits belong to the account, not to a key: several keys of one
 * account share its quotas.
 *
 * @param provider the provider's configured name
 * @param id       unique within the provider; safe to show
 * @param keys     one or more keys; never shown
 * @param rules    limit rules from configuration that override or add to the catalog's
 */
public record Account(String provider, String id, List<Credential> keys, List<LimitRule> rules) {

    private static final AtomicInteger NEXT_KEY = new AtomicInteger();

    /** The id quotas are counted under: unique across providers. */
    public String quotaId() {
        return provider + ":" + id;
    }

    /** Any key of the account: they share one quota, so which one serves a call does not matter for counting. */
    public Credential key() {
        return keys.get(Math.floorMod(NEXT_KEY.getAndIncrement(), keys.size()));
    }

    /** The catalog's rules for this model, each replaced by the account's rule of the same identity, plus the rest. */
    public List<LimitRule> rulesFor(ProviderSpec spec, String model) {
        Map<String, LimitRule> merged = new LinkedHashMap<>();
        for (LimitRule rule : spec.rulesFor(model)) {
            merged.put(rule.identity(), rule);
        }
        for (LimitRule rule : rules) {
            merged.put(rule.identity(), rule);
        }
        return List.copyOf(new ArrayList<>(merged.values()));
    }
}

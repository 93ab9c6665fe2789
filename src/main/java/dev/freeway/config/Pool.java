package dev.freeway.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Every configured provider, in configuration order. Routing asks this for accounts and never reads configuration. */
public record Pool(Map<String, ProviderPool> providers) {

    public Optional<ProviderPool> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public Collection<ProviderPool> all() {
        return providers.values();
    }

    public boolean isEmpty() {
        return providers.values().stream().allMatch(p -> p.accounts().isEmpty());
    }
}

package dev.freeway.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Every configured provider, in configuration order, and the model aliases clients may send. Routing asks this for
 * accounts and never reads configuration.
 *
 * @param providers by name
 * @param aliases   a name a client sends mapped to auto, auto:task or provider/model (checked at start-up)
 */
public record Pool(Map<String, ProviderPool> providers, Map<String, String> aliases) {

    public Pool(Map<String, ProviderPool> providers) {
        this(providers, Map.of());
    }

    public Pool {
        aliases = Map.copyOf(aliases);
    }

    public Optional<ProviderPool> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public Collection<ProviderPool> all() {
        return providers.values();
    }

    public boolean isEmpty() {
        return providers.values().stream().allMatch(p -> p.accounts().isEmpty());
    }

    /** What an alias stands for, if {@code name} is one. */
    public Optional<String> alias(String name) {
        return Optional.ofNullable(aliases.get(name));
    }
}

package dev.freeway.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configured provider, in catalog order (then by name: configuration maps carry no order, so this keeps
 * fallback deterministic), the model aliases clients may send, and routing's settings. Routing asks this for
 * accounts and settings and never reads configuration.
 *
 * @param providers by name
 * @param aliases   a name a client sends mapped to auto, auto:task or provider/model (checked at start-up)
 * @param routing   what routing needs from {@code freeway.routing}
 * @param remarks   what start-up reports about the configuration without refusing it
 */
public record Pool(Map<String, ProviderPool> providers, Map<String, String> aliases, RoutingSettings routing,
                   List<Remark> remarks) {

    /** Providers alone, without routing configuration (capacity figures, tests). */
    public Pool(Map<String, ProviderPool> providers) {
        this(providers, Map.of(), RoutingSettings.NONE, List.of());
    }

    public Pool {
        aliases = Map.copyOf(aliases);
        remarks = List.copyOf(remarks);
    }

    /** The same pool with other providers (the demo's added). */
    public Pool withProviders(Map<String, ProviderPool> others) {
        return new Pool(others, aliases, routing, remarks);
    }

    public Optional<ProviderPool> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The provider of that name when it has accounts to serve with. */
    public Optional<ProviderPool> serving(String name) {
        return provider(name).filter(p -> !p.accounts().isEmpty());
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

    /**
     * Something start-up says about the configuration and accepts.
     *
     * @param warning whether it is likely a mistake (logged as a warning), or only worth knowing
     * @param text    one line naming the configuration key
     */
    public record Remark(boolean warning, String text) {
    }
}

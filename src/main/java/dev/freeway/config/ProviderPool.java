package dev.freeway.config;

import dev.freeway.catalog.ProviderSpec;

import java.time.Duration;
import java.util.List;

/**
 * A configured provider: its catalog facts with the configuration laid over them, and its accounts in order.
 *
 * @param name          the configured name (usually the catalog id)
 * @param spec          effective facts
 * @param loadBalancing how its accounts share its requests
 * @param accounts      in configuration order
 * @param timeouts      how long to wait for its answers
 * @param anyModel      whether model ids outside the catalog may be sent through {@code provider/model}
 *                      (generic OpenAI-compatible servers, routers that serve whole hubs)
 * @param guard         retry and circuit breaker settings
 */
public record ProviderPool(String name, ProviderSpec spec, LoadBalancing loadBalancing, List<Account> accounts,
                           Timeouts timeouts, boolean anyModel, GuardSettings guard) {

    /** A pool whose waits are all {@code timeout}. */
    public ProviderPool(String name, ProviderSpec spec, LoadBalancing loadBalancing, List<Account> accounts,
                        Duration timeout, boolean anyModel, GuardSettings guard) {
        this(name, spec, loadBalancing, accounts, Timeouts.all(timeout), anyModel, guard);
    }
}

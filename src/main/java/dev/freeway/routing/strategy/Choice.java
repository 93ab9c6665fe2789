package dev.freeway.routing.strategy;

import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Account;
import dev.freeway.config.ProviderPool;

import java.util.List;
import java.util.function.Supplier;

/**
 * One request's choice among a provider's accounts for one of its models.
 *
 * @param provider     the configured provider
 * @param model        the provider's model id
 * @param spec         the model's facts; null for an id outside the catalog
 * @param task         the request's task key (coding, simple, ...)
 * @param conversation the request's conversation key (a hash of its opening), computed when a strategy asks; null
 *                     for a request without one (embeddings)
 */
public record Choice(ProviderPool provider, String model, ModelSpec spec, String task,
                     Supplier<String> conversation) {

    public List<Account> accounts() {
        return provider.accounts();
    }
}

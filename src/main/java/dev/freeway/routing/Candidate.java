package dev.freeway.routing;

import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.ProviderPool;

/**
 * A model at a provider that could serve a request; its accounts are chosen when it is tried.
 *
 * @param provider the configured provider
 * @param model    the provider's model id
 * @param spec     the model's facts; null for an id outside the catalog sent to an open-ended provider
 */
public record Candidate(ProviderPool provider, String model, ModelSpec spec) {

    /** Context window, or 0 when unknown. */
    public int contextWindow() {
        return spec == null ? 0 : spec.contextWindow();
    }

    public String label() {
        return provider.name() + "/" + model;
    }

    /**
     * The same candidate is the same model at the same provider. A record's own equality would compare and hash the
     * whole pool entry (its spec with every model, every account) on each lookup the planner makes: 1 % of a
     * request's CPU at 64 connections.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Candidate that && provider.name().equals(that.provider.name())
                && model.equals(that.model);
    }

    @Override
    public int hashCode() {
        return 31 * provider.name().hashCode() + model.hashCode();
    }
}

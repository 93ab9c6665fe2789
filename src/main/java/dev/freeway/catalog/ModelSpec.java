package dev.freeway.catalog;

import java.util.List;
import java.util.Set;

/**
 * A model a provider serves.
 *
 * @param id            the provider's model id
 * @param contextWindow tokens of prompt plus output the model accepts
 * @param maxOutput     most output tokens per call
 * @param strengths     what it is good at: coding, reasoning, creative, simple, max_context
 * @param capabilities  tools, json, vision
 * @param price         list price, or null when the catalog has none
 * @param rules         default limit rules scoped to this model
 * @param free          whether the provider offers it on a free tier
 */
public record ModelSpec(String id, int contextWindow, int maxOutput, Set<String> strengths, Set<String> capabilities,
                        Price price, List<LimitRule> rules, boolean free) {

    public boolean can(String capability) {
        return capabilities.contains(capability);
    }

    /** List price per 1M tokens, with the date it was read. */
    public record Price(double inputPerMillion, double outputPerMillion, String asOf) {
    }
}

package dev.freeway.catalog;

import java.util.List;
import java.util.Set;

/**
 * A model a provider serves.
 *
 * @param id            the provider's model id
 * @param contextWindow tokens of prompt plus output the model accepts
 * @param maxOutput     most output tokens per call
 * @param strengths     what it is good at: coding, reasoning, creative, simple, max_context; empty when it declares
 *                      none, which makes it a candidate for every task, behind the models that declare the task
 * @param capabilities  what it can do of tools, json, vision; null when neither the catalog nor the configuration
 *                      declares them, and then every capability is assumed present
 * @param price         list price, or null when the catalog has none
 * @param rules         default limit rules scoped to this model
 * @param free          whether the provider offers it on a free tier
 */
public record ModelSpec(String id, int contextWindow, int maxOutput, Set<String> strengths, Set<String> capabilities,
                        Price price, List<LimitRule> rules, boolean free) {

    /** Whether it can do this; an undeclared capability is assumed present, so only a declaration rules one out. */
    public boolean can(String capability) {
        return capabilities == null || capabilities.contains(capability);
    }

    /** Whether it declares the task among its strengths. */
    public boolean declares(String task) {
        return strengths.contains(task);
    }

    /** A model that declares no strengths may serve any task. */
    public boolean declaresNoStrengths() {
        return strengths.isEmpty();
    }

    /** List price per 1M tokens, with the date it was read. */
    public record Price(double inputPerMillion, double outputPerMillion, String asOf) {
    }
}

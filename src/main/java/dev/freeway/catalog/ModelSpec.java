package dev.freeway.catalog;

import java.util.List;
import java.util.Set;

/**
 * A model a provider serves.
 *
 * @param id            the provider's model id
 * @param contextWindow tokens of prompt plus output the model accepts; for an embedding model, tokens per input
 * @param maxOutput     most output tokens per call (0 for an embedding model, which writes none)
 * @param strengths     what it is good at: coding, reasoning, creative, simple, max_context; empty when it declares
 *                      none, which makes it a candidate for every task, behind the models that declare the task
 * @param capabilities  what it can do of tools, json, vision; null when neither the catalog nor the configuration
 *                      declares them, and then every capability is assumed present
 * @param price         list price, or null when the catalog has none
 * @param rules         default limit rules scoped to this model
 * @param free          whether the provider offers it on a free tier
 * @param kind          chat, or embedding (served at /v1/embeddings only)
 * @param embedding     an embedding model's vectors and batch size; null for chat models
 */
public record ModelSpec(String id, int contextWindow, int maxOutput, Set<String> strengths, Set<String> capabilities,
                        Price price, List<LimitRule> rules, boolean free, Kind kind, Embedding embedding) {

    /** A chat model. */
    public ModelSpec(String id, int contextWindow, int maxOutput, Set<String> strengths, Set<String> capabilities,
                     Price price, List<LimitRule> rules, boolean free) {
        this(id, contextWindow, maxOutput, strengths, capabilities, price, rules, free, Kind.CHAT, null);
    }

    public ModelSpec {
        if ((kind == Kind.EMBEDDING) != (embedding != null)) {
            throw new IllegalArgumentException("model " + id + ": embedding facts belong to embedding models only");
        }
    }

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

    public boolean isEmbedding() {
        return kind == Kind.EMBEDDING;
    }

    /** What a model does: chat completions or embeddings. */
    public enum Kind {
        CHAT, EMBEDDING;

        public static Kind parse(String text) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(text.trim())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind '" + text + "' (use chat or embedding)");
        }
    }

    /**
     * What an embedding model returns and accepts.
     *
     * @param dimensions       length of its vectors by default
     * @param dimensionChoices the values {@code dimensions} may ask for; empty when the model has one fixed length
     * @param maxInputs        most inputs in one request; 0 when no limit is known
     */
    public record Embedding(int dimensions, Set<Integer> dimensionChoices, int maxInputs) {

        public Embedding {
            dimensionChoices = Set.copyOf(dimensionChoices);
        }

        /** Whether a request's {@code dimensions} (null: none asked) can be served. */
        public boolean serves(Integer requested) {
            return requested == null || requested == dimensions || dimensionChoices.contains(requested);
        }
    }

    /** List price per 1M tokens, with the date it was read. */
    public record Price(double inputPerMillion, double outputPerMillion, String asOf) {
    }
}

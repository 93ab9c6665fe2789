package dev.freeway.catalog;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Freeway knows about one provider, from the built-in catalog with the user's configuration laid over it.
 *
 * @param id            the provider's name in configuration and in {@code provider/model} addresses
 * @param displayName   for people
 * @param baseUrl       OpenAI-compatible base URL, without a trailing slash
 * @param authHeader    header that carries the key
 * @param authPrefix    text before the key in that header ("Bearer ")
 * @param dialect       which error dialect classifies its failures
 * @param resetZone     time zone of its calendar windows
 * @param models        models it serves, by id
 * @param retired       models it no longer serves, by id
 * @param accountRules  default limit rules shared by every model of an account
 * @param quirks        how requests are rewritten for it
 * @param streamUsage   whether it honours {@code stream_options.include_usage}
 * @param terms         what its terms say about several accounts
 * @param poolingRestricted whether those terms restrict pooling several accounts
 * @param countsFailedCalls whether the provider counts a call it answered with an error against its limits
 *                          (OpenRouter counts failed attempts against its daily limit), so Freeway counts it too
 */
public record ProviderSpec(String id, String displayName, String baseUrl, String authHeader, String authPrefix,
                           DialectName dialect, ZoneId resetZone, Map<String, ModelSpec> models,
                           Map<String, RetiredModel> retired, List<LimitRule> accountRules, RequestQuirks quirks,
                           boolean streamUsage, String terms, boolean poolingRestricted, boolean countsFailedCalls) {

    /** A copy to change what configuration may change, without restating every other fact. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public Optional<ModelSpec> model(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    /**
     * Its chat models that declare the task, best first: for max_context the largest context window first, for the
     * other tasks the highest list price first (the larger model costs more); then catalog order. What a provider's
     * name in a task's preferences stands for.
     */
    public List<ModelSpec> modelsFor(String task) {
        Comparator<ModelSpec> best = "max_context".equals(task)
                ? Comparator.comparingInt(ModelSpec::contextWindow).reversed()
                : Comparator.comparingDouble(ProviderSpec::listPrice).reversed();
        return models.values().stream().filter(m -> !m.isEmbedding() && m.declares(task)).sorted(best).toList();
    }

    private static double listPrice(ModelSpec model) {
        return model.price() == null ? 0 : model.price().inputPerMillion() + model.price().outputPerMillion();
    }

    /** Every rule that applies to a call of this model: the account's shared rules, then the model's own. */
    public List<LimitRule> rulesFor(String modelId) {
        List<LimitRule> modelRules = model(modelId).map(ModelSpec::rules).orElse(List.of());
        if (modelRules.isEmpty()) {
            return accountRules;
        }
        var all = new java.util.ArrayList<LimitRule>(accountRules);
        all.addAll(modelRules);
        return List.copyOf(all);
    }

    /** What configuration lays over a catalog entry: its name, URL, dialect, zone, models and failed-call counting. */
    public static final class Builder {

        private final ProviderSpec base;
        private String id;
        private String baseUrl;
        private DialectName dialect;
        private ZoneId resetZone;
        private Map<String, ModelSpec> models;
        private boolean countsFailedCalls;
        private boolean streamUsage;

        private Builder(ProviderSpec base) {
            this.base = base;
            this.id = base.id;
            this.baseUrl = base.baseUrl;
            this.dialect = base.dialect;
            this.resetZone = base.resetZone;
            this.models = base.models;
            this.countsFailedCalls = base.countsFailedCalls;
            this.streamUsage = base.streamUsage;
        }

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder baseUrl(String value) {
            baseUrl = value;
            return this;
        }

        public Builder dialect(DialectName value) {
            dialect = value;
            return this;
        }

        public Builder resetZone(ZoneId value) {
            resetZone = value;
            return this;
        }

        public Builder models(Map<String, ModelSpec> value) {
            models = value;
            return this;
        }

        public Builder countsFailedCalls(boolean value) {
            countsFailedCalls = value;
            return this;
        }

        public Builder streamUsage(boolean value) {
            streamUsage = value;
            return this;
        }

        public ProviderSpec build() {
            return new ProviderSpec(id, base.displayName, baseUrl, base.authHeader, base.authPrefix, dialect,
                    resetZone, models, base.retired, base.accountRules, base.quirks, streamUsage, base.terms,
                    base.poolingRestricted, countsFailedCalls);
        }
    }
}

package dev.freeway.routing;

import dev.freeway.catalog.LimitRule;

import java.util.List;
import java.util.Set;

/**
 * What routing must honour of the client a request comes from: its own limit rules (reserved once for the request,
 * before any account is tried), and the models and tasks it may ask for.
 *
 * @param name   the client's name, or null for a request from no named client
 * @param rules  its own limit rules; empty for none
 * @param models {@code provider/model}, {@code provider} or {@code auto} entries it may use ({@code auto}: whatever
 *               Freeway picks for a request that asks for {@code auto}); empty = anything
 * @param tasks  task keys it may ask for; empty = any
 */
public record ClientScope(String name, List<LimitRule> rules, Set<String> models, Set<String> tasks) {

    /** No named client: only the accounts' limits apply. */
    public static final ClientScope NONE = new ClientScope(null, List.of(), Set.of(), Set.of());

    /** Whether this client may have a candidate serve it. */
    boolean allows(Candidate candidate) {
        return allows(candidate.provider().name(), candidate.model());
    }

    /**
     * Whether an answer that provider's model gave (one the response cache kept) may go to this client for a
     * request that asked for {@code asked}: as for a candidate, {@code auto} covers an {@code auto} request.
     */
    public boolean allows(String provider, String model, String asked) {
        boolean askedAuto = asked != null && (asked.equals("auto") || asked.startsWith("auto:"));
        return askedAuto && models.contains("auto") || allows(provider, model);
    }

    /** The same, for a request that asked for {@code auto} (or {@code auto:<task>}) when {@code askedAuto}. */
    boolean allows(Candidate candidate, boolean askedAuto) {
        return askedAuto && models.contains("auto") || allows(candidate);
    }

    /**
     * Whether this client may have that provider's model serve it: also asked of an answer the response cache kept,
     * which may have been kept for another client when the cache is shared.
     */
    public boolean allows(String provider, String model) {
        return models.isEmpty() || models.contains(provider + "/" + model) || models.contains(provider)
                || models.contains(model);
    }

    /** The quota id its counters live under: beside the accounts', never one of them (those hold a provider). */
    public String quotaId() {
        return "client:" + name;
    }
}

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
        return models.isEmpty() || models.contains(candidate.label()) || models.contains(candidate.provider().name())
                || models.contains(candidate.model());
    }

    /** The same, for a request that asked for {@code auto} (or {@code auto:<task>}) when {@code askedAuto}. */
    boolean allows(Candidate candidate, boolean askedAuto) {
        return askedAuto && models.contains("auto") || allows(candidate);
    }

    /** The quota id its counters live under: beside the accounts', never one of them (those hold a provider). */
    public String quotaId() {
        return "client:" + name;
    }
}

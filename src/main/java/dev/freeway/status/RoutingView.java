package dev.freeway.status;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.RuleUsage;
import dev.freeway.routing.Candidate;
import dev.freeway.routing.CandidatePlanner;
import dev.freeway.routing.Plan;
import dev.freeway.routing.RouteFailure;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where each task's requests would go right now: the planner's chain for a small {@code auto:<task>} request (after
 * context, capability, preservation, schedule and open-circuit filtering), with each account's readiness (parked, or
 * a rule full) read from the same {@link PoolReading} as the rest of the report.
 */
final class RoutingView {

    /** A short prompt: the chains shown are those of an everyday request, not of a huge one. */
    static final long PROBE_PROMPT_TOKENS = 16;

    private final Pool pool;
    private final CandidatePlanner planner;
    private final long outputTokens;
    private final Function<String, String> circuit;

    RoutingView(Pool pool, CandidatePlanner planner, long outputTokens, Function<String, String> circuit) {
        this.pool = pool;
        this.planner = planner;
        this.outputTokens = outputTokens;
        this.circuit = circuit;
    }

    StatusReport.Routing routing(PoolReading reading, List<String> fallbackChain) {
        List<StatusReport.TaskRoute> tasks = new ArrayList<>();
        for (Task task : Task.values()) {
            tasks.add(task(task, reading));
        }
        List<StatusReport.FallbackStep> fallback = new ArrayList<>();
        for (String provider : fallbackChain) {
            boolean configured = pool.provider(provider).filter(p -> !p.accounts().isEmpty()).isPresent();
            fallback.add(new StatusReport.FallbackStep(provider, configured,
                    configured ? circuit.apply(provider) : null));
        }
        return new StatusReport.Routing(List.copyOf(tasks), List.copyOf(fallback));
    }

    private StatusReport.TaskRoute task(Task task, PoolReading reading) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "auto:" + task.key());
        body.putArray("messages").addObject().put("role", "user").put("content", "status probe");
        RouteRequest probe = new RouteRequest(body, "auto:" + task.key(), task, PROBE_PROMPT_TOKENS, outputTokens,
                Set.of());
        try {
            Plan plan = planner.plan(probe);
            List<StatusReport.ChainEntry> chain = new ArrayList<>();
            for (Candidate candidate : plan.candidates()) {
                chain.add(entry(candidate, reading));
            }
            return new StatusReport.TaskRoute(task.key(), List.copyOf(chain), skipped(plan.skipped()), null);
        } catch (RouteFailure failure) {
            return new StatusReport.TaskRoute(task.key(), List.of(), skipped(failure.skipped()), failure.getMessage());
        }
    }

    private static List<StatusReport.Skipped> skipped(List<dev.freeway.routing.Skip> skips) {
        return skips.stream().map(s -> new StatusReport.Skipped(s.candidate(), s.reason())).toList();
    }

    private static StatusReport.ChainEntry entry(Candidate candidate, PoolReading reading) {
        List<StatusReport.AccountReady> accounts = new ArrayList<>();
        for (Account account : candidate.provider().accounts()) {
            accounts.add(readiness(candidate.provider(), account, candidate.model(), reading));
        }
        boolean ready = accounts.stream().anyMatch(StatusReport.AccountReady::ready);
        return new StatusReport.ChainEntry(candidate.label(), ready, List.copyOf(accounts));
    }

    /** Whether this account could take a call of this model now: not parked, and no rule already full. */
    static StatusReport.AccountReady readiness(ProviderPool provider, Account account, String model,
                                               PoolReading reading) {
        var zone = provider.spec().resetZone();
        Optional<QuotaStore.Parking> parked = reading.parked(account, model);
        if (parked.isPresent()) {
            return new StatusReport.AccountReady(account.id(), false, "parked: " + parked.get().reason(),
                    Times.at(parked.get().until(), zone));
        }
        List<RuleUsage> usage = new ArrayList<>(reading.accountUsage(provider, account).orElse(List.of()));
        usage.addAll(reading.modelUsage(provider, account, model).orElse(List.of()));
        for (RuleUsage rule : usage) {
            if (rule.remaining() == 0) {
                return new StatusReport.AccountReady(account.id(), false, "no room: " + rule.rule().identity(),
                        Times.at(rule.resetsAt(), zone));
            }
        }
        return new StatusReport.AccountReady(account.id(), true, null, null);
    }
}
